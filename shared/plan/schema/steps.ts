import { z } from 'zod';
import { VerifyCheckSchema } from './checks';
import { expecting } from './expectations';
import { exactlyOne } from './rules';
import { Duration, EnvName, FileMode, Flag, HostSelector, Line, OwnerName, Prose, RemotePath, Slug } from './primitives';

// A step is one action on one or more hosts (an instance per host), placed in a dependency
// graph by `needs`. Booleans default to false so that a step does nothing special unless it says so.

const CommandText = expecting(z.string().min(1, 'a non-empty command'), 'a shell command (POSIX sh)').describe(
  'A POSIX sh command or script; {{ name }} inserts a variable shell-quoted, {{ raw name }} as-is.',
);

export const UploadSchema = z
  .strictObject({
    artifact: expecting(Slug.describe('Id of an artifact declared in artifacts.'), 'the id of an artifact in the artifacts section'),
    to: RemotePath.describe('Absolute destination path on the host, file name included.'),
    mode: FileMode.optional().describe("Permission bits to set, in quotes: '0644'."),
    owner: OwnerName.optional().describe('User to own the file.'),
    group: OwnerName.optional().describe('Group to own the file.'),
  })
  .describe('Copy an artifact to the host; its SHA-256 is checked on the host before the step counts as done.');

export const ManualSchema = z
  .strictObject({
    instructions: Prose.describe('What the technician must do; they confirm it is done, with a note.'),
  })
  .describe('Something the technician does by hand and confirms.');

const actionKeys = exactlyOne(['run', 'upload', 'manual']);

export const RollbackSchema = z
  .strictObject({
    run: CommandText.optional(),
    upload: UploadSchema.optional(),
    manual: ManualSchema.optional(),
    sudo: Flag.optional().describe("Run with sudo; the step's own sudo when absent."),
    timeout: Duration.optional().describe("How long the rollback may take; the step's timeout when absent."),
  })
  .superRefine(actionKeys.check)
  .meta({ description: "How to undo the step: exactly one of run, upload or manual.", ...actionKeys.jsonSchema });

export const StepSchema = z
  .strictObject({
    id: Slug.describe('Unique id of the step; needs refers to it.'),
    title: Line.describe('What the step does, for people.'),
    description: Prose.optional().describe('More about the step.'),
    hosts: HostSelector.describe('Host names or tags; the step runs once on each selected host.'),
    run: CommandText.optional(),
    upload: UploadSchema.optional(),
    manual: ManualSchema.optional(),
    needs: z
      .array(expecting(Slug.describe('Id of a step that must finish first.'), 'the id of another step'))
      .default([])
      .describe('Steps that must have finished on all their hosts before this one starts.'),
    timeout: Duration.optional().describe('How long one instance may run before it is stopped.'),
    verify: VerifyCheckSchema.optional(),
    rollback: RollbackSchema.optional(),
    confirm: expecting(
      z.string().min(1, 'a non-empty question').max(500, 'at most 500 characters'),
      'a question for the technician',
    )
      .optional()
      .describe('A question the technician must answer after the step, such as "Does the shop home page load?".'),
    idempotent: Flag.default(false).describe('Running the step twice does no harm, so retrying after an interruption is safe.'),
    estimate: Duration.optional().describe('How long the step usually takes, for planning against the outage window.'),
    serial: expecting(z.number().int('a whole number of at least 1').min(1, 'a whole number of at least 1'), 'a whole number of at least 1')
      .optional()
      .describe('Run on this many hosts at a time (a rolling update); all at once when absent.'),
    sudo: Flag.default(false).describe('Run as root with sudo.'),
    tty: Flag.default(false).describe('Allocate a terminal (for commands that insist on one).'),
    env: z
      .record(EnvName, expecting(z.string(), "a text value (put numbers in quotes: '8080')"))
      .default({})
      .describe('Environment variables for the command; {{ name }} in a value inserts the variable as-is (values are data, never shell).'),
    cwd: RemotePath.optional().describe('Directory to run in; the login directory when absent.'),
  })
  .superRefine(actionKeys.check)
  .meta({ description: 'A deployment step: exactly one of run, upload or manual.', ...actionKeys.jsonSchema });

export type PlanStep = z.infer<typeof StepSchema>;
export type StepUpload = z.infer<typeof UploadSchema>;
export type StepManual = z.infer<typeof ManualSchema>;
export type StepRollback = z.infer<typeof RollbackSchema>;
