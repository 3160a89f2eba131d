import { z } from 'zod';
import { expecting } from './expectations';
import { atLeastOne, exactlyOne, excludesWhen } from './rules';
import {
  ByteSize,
  Duration,
  FileMode,
  Flag,
  HostSelector,
  HttpUrl,
  Line,
  OwnerName,
  Port,
  Prose,
  RegexText,
  RemotePath,
  Sha256,
  Slug,
  VersionConstraint,
} from './primitives';

// Typed checks, like Goss and InSpec resources, so that a report can say "port 5432 listening on
// db1" rather than "command exited 0". Baseline checks and a step's `verify` share the types;
// a baseline check also has an id, a title and the hosts it runs on.

const CommandText = expecting(z.string().min(1, 'a non-empty command'), 'a shell command (POSIX sh)');

const outputMatch = exactlyOne(['equals', 'contains', 'matches']);
const OutputMatcher = z
  .strictObject({
    equals: z.string().optional().describe('The whole output, after trailing newlines are removed, equals this text.'),
    contains: z.string().optional().describe('The output contains this text.'),
    matches: RegexText.optional().describe('The output matches this JavaScript regular expression.'),
  })
  .superRefine(outputMatch.check)
  .meta({ description: 'How the output must look: exactly one of equals, contains or matches.', ...outputMatch.jsonSchema });

const NumberCompare = z
  .strictObject({
    op: z.enum(['<', '<=', '==', '>=', '>', '!=']).describe('How the number printed by the command compares with value.'),
    value: expecting(z.number(), 'a number').describe('The number to compare with.'),
  })
  .describe('The command prints one number (stdout, trimmed); it must compare with value as op says.');

const CommandExpect = z
  .strictObject({
    exitCode: expecting(z.number().int().min(0, 'an exit code from 0 to 255').max(255, 'an exit code from 0 to 255'), 'an exit code from 0 to 255')
      .optional()
      .describe('Expected exit code; 0 when absent.'),
    stdout: OutputMatcher.optional(),
    stderr: OutputMatcher.optional(),
    number: NumberCompare.optional(),
  })
  .describe('What the command must produce; without it, the check passes when the command exits 0.');

const ServiceName = expecting(z.string().regex(/^[A-Za-z0-9@._:-]{1,255}$/, 'a service name such as nginx or postgresql@15-main'), 'a service name such as nginx');
const PackageName = expecting(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.+_:~-]{0,127}$/, 'a package name such as nginx or libssl3'), 'a package name such as nginx');
const ProcessName = expecting(z.string().min(1, 'a process name such as nginx').max(64), 'a process name such as nginx');
const OsId = expecting(z.string().regex(/^[a-z0-9._-]{1,64}$/, 'an os-release ID such as debian, ubuntu or rhel'), 'an os-release ID such as debian');

const fileWhenAbsent = excludesWhen('exists', false, ['kind', 'mode', 'owner', 'group', 'sha256', 'contains']);
const packageWhenAbsent = excludesWhen('installed', false, ['version']);
const processWhenStopped = excludesWhen('running', false, ['minCount']);
const processMatch = exactlyOne(['name', 'pattern']);
const diskThreshold = atLeastOne(['minFree', 'minPercent']);

/** The fields of each check type, before the fields a baseline or verify check adds. */
function checkTypes<Extra extends z.ZodRawShape>(extra: Extra) {
  const common = {
    ...extra,
    sudo: Flag.optional().describe('Run the check with sudo (for files only root can read, say).'),
    timeout: Duration.optional().describe('How long the check may take; the runner has a default.'),
  };
  return [
    z
      .strictObject({
        type: z.literal('command').describe('Run a command and judge its exit code and output.'),
        ...common,
        run: CommandText.describe('The command, run with sh -c and LC_ALL=C; variables as {{ name }}.'),
        expect: CommandExpect.optional(),
      })
      .describe('A command check.'),
    z
      .strictObject({
        type: z.literal('file').describe('A file, directory or link and its properties.'),
        ...common,
        path: RemotePath.describe('Absolute path on the host.'),
        exists: Flag.default(true).describe('Whether the path must exist (true) or must not (false).'),
        kind: z.enum(['file', 'directory', 'symlink']).optional().describe('What the path must be: file, directory or symlink (`type` names the check type).'),
        mode: FileMode.optional().describe("Permission bits in octal, in quotes: '0644'."),
        owner: OwnerName.optional().describe('Owning user.'),
        group: OwnerName.optional().describe('Owning group.'),
        sha256: Sha256.optional().describe('SHA-256 of the file content.'),
        contains: z.string().min(1).optional().describe('Text the file must contain.'),
      })
      .superRefine(fileWhenAbsent),
    z.strictObject({
      type: z.literal('port').describe('A TCP or UDP port on the host.'),
      ...common,
      port: Port.describe('The port number.'),
      protocol: z.enum(['tcp', 'udp']).default('tcp').describe('tcp (default) or udp.'),
      listening: Flag.default(true).describe('Whether something must listen on it (true) or nothing may (false).'),
    }),
    z.strictObject({
      type: z.literal('service').describe('A systemd service.'),
      ...common,
      name: ServiceName.describe('The unit name, such as nginx or nginx.service.'),
      active: Flag.default(true).describe('Whether the service must be running (true) or stopped (false).'),
      enabled: Flag.optional().describe('Whether the service must start at boot; not checked when absent.'),
    }),
    z
      .strictObject({
        type: z.literal('package').describe('An installed package (dpkg or rpm).'),
        ...common,
        name: PackageName.describe('The package name.'),
        installed: Flag.default(true).describe('Whether the package must be installed (true) or absent (false).'),
        version: VersionConstraint.optional().describe("Version constraint, in quotes: '>= 1.2.3-1' or '>= 2.4, < 3'."),
        manager: z.enum(['dpkg', 'rpm', 'auto']).default('auto').describe('Package database to ask; auto finds the one present.'),
      })
      .superRefine(packageWhenAbsent),
    z
      .strictObject({
        type: z.literal('process').describe('A running process.'),
        ...common,
        name: ProcessName.optional().describe('Exact process name (as ps -o comm shows).'),
        pattern: RegexText.optional().describe('Regular expression matched against the full command line.'),
        running: Flag.default(true).describe('Whether such a process must run (true) or must not (false).'),
        minCount: expecting(z.number().int().min(1, 'a whole number of at least 1'), 'a whole number of at least 1')
          .optional()
          .describe('At least this many matching processes.'),
      })
      .superRefine(processMatch.check)
      .superRefine(processWhenStopped)
      .meta(processMatch.jsonSchema),
    z.strictObject({
      type: z.literal('http').describe('An HTTP request made from the host itself.'),
      ...common,
      url: HttpUrl.describe('The URL, as seen from the host (http://127.0.0.1:8080/health).'),
      expectStatus: expecting(z.number().int().min(100, 'an HTTP status from 100 to 599').max(599, 'an HTTP status from 100 to 599'), 'an HTTP status from 100 to 599')
        .default(200)
        .describe('Expected HTTP status; 200 by default.'),
      bodyContains: z.string().min(1).optional().describe('Text the response body must contain.'),
    }),
    z
      .strictObject({
        type: z.literal('disk-free').describe('Free space on the file system holding a path.'),
        ...common,
        path: RemotePath.describe('A path on the file system to measure.'),
        minFree: ByteSize.optional().describe('At least this much free space: 20GiB.'),
        minPercent: expecting(z.number().min(0, 'a percentage from 0 to 100').max(100, 'a percentage from 0 to 100'), 'a percentage from 0 to 100')
          .optional()
          .describe('At least this percentage of the file system free.'),
      })
      .superRefine(diskThreshold.check)
      .meta(diskThreshold.jsonSchema),
    z.strictObject({
      type: z.literal('memory').describe('Available memory (MemAvailable).'),
      ...common,
      minAvailable: ByteSize.describe('At least this much available memory: 2GiB.'),
    }),
    z.strictObject({
      type: z.literal('os').describe('The operating system, from /etc/os-release.'),
      ...common,
      // Not `id` and `versionId` as in os-release: a baseline check's `id` is its own name.
      distribution: OsId.describe('The distribution, as ID in /etc/os-release: debian, ubuntu, rhel, …'),
      version: VersionConstraint.optional().describe("Constraint on VERSION_ID from /etc/os-release, in quotes: '>= 12'."),
    }),
  ] as const;
}

const CHECK_TYPE_TEXT = 'a check type: command, file, port, service, package, process, http, disk-free, memory or os';

export const BaselineCheckSchema = expecting(
  z.discriminatedUnion(
    'type',
    checkTypes({
      id: Slug.describe('Unique id of the check within the baseline.'),
      title: Line.optional().describe('What the check shows, for people; the report uses it.'),
      description: Prose.optional().describe('Why the check matters.'),
      hosts: HostSelector.optional().describe('Host names or tags to run on; all hosts when absent.'),
    }),
  ),
  CHECK_TYPE_TEXT,
).describe('A baseline check: its type decides the other fields.');

export const VerifyCheckSchema = expecting(z.discriminatedUnion('type', checkTypes({})), CHECK_TYPE_TEXT).describe(
  "A check that tells whether the step's effect is already in place; it runs on each of the step's hosts.",
);

export type BaselineCheck = z.infer<typeof BaselineCheckSchema>;
export type VerifyCheck = z.infer<typeof VerifyCheckSchema>;
export type CheckType = BaselineCheck['type'];
export const CHECK_TYPES = ['command', 'file', 'port', 'service', 'package', 'process', 'http', 'disk-free', 'memory', 'os'] as const satisfies readonly CheckType[];
