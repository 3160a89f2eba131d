import { parseArgs } from 'node:util';
import { isAppError } from '../../shared/errors';
import type { CliIo } from './io';
import { EXIT } from './io';
import { planShowCommand, planSignCommand, planValidateCommand } from './planCommands';
import { reportVerifyCommand } from './reportCommands';
import { runCommand } from './runCommands';

const USAGE = `Usage: fieldrun <command> [options]

Commands:
  plan validate <plan>   Check a plan file, folder or archive (with its artifacts); exit 0 when valid, 1 when not.
                         --json prints the result for machines.
  plan show <plan>       A readable summary: hosts, checks, the step graph in order, the outage window
                         in site time and in this computer's time.
  plan sign <plan> --key FILE
                         Head office: sign a valid plan with an Ed25519 OpenSSH key (namespace
                         fieldrun-plan); writes plan.yaml.sig. Passphrase from FIELDRUN_KEY_PASSPHRASE.
  report verify <bundle> [--allowed-signers FILE] [--json]
                         Check a report bundle (folder or .tar): signature, every file's hash, the
                         journal chain. Exit 0 trusted and intact, 1 a check failed (with its reason),
                         2 intact but UNTRUSTED (no --allowed-signers, or the key is not in it).
  run <plan> [--dry-run] [--data DIR] [--answers FILE] [--known-hosts FILE] [--identity KEYFILE] [--json]
                         --dry-run: print each step's command per host (variables resolved, secrets
                         as ***), connecting to nothing. Without it: a headless rehearsal to handover,
                         answering from --answers (YAML/JSON), in --data (default a new temp folder).
                         Unpinned hosts need --known-hosts; credentials from --identity (passphrase in
                         FIELDRUN_KEY_PASSPHRASE) and/or ssh-agent; secrets from the answers file or
                         FIELDRUN_SECRET_<NAME>, sudo from FIELDRUN_SUDO_PASSWORD. Exit 0 handover,
                         1 a step failed, a question had no answer, or the run was refused.

Options:
  -h, --help             This text.
`;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        key: { type: 'string' },
        'allowed-signers': { type: 'string' },
        'dry-run': { type: 'boolean' },
        data: { type: 'string' },
        answers: { type: 'string' },
        'known-hosts': { type: 'string' },
        identity: { type: 'string' },
      },
    });
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const { positionals, values } = parsed;
  if (values.help === true || positionals.length === 0) {
    io.stdout.write(USAGE);
    return positionals.length === 0 && values.help !== true ? EXIT.usage : EXIT.ok;
  }
  const [group, command, ...rest] = positionals;
  try {
    if (group === 'plan' && command === 'validate' && rest.length === 1) return await planValidateCommand(rest[0]!, { json: values.json === true }, io);
    if (group === 'plan' && command === 'show' && rest.length === 1) return await planShowCommand(rest[0]!, io);
    if (group === 'plan' && command === 'sign' && rest.length === 1 && values.key !== undefined) return await planSignCommand(rest[0]!, values.key, io);
    if (group === 'run' && command !== undefined && rest.length === 0) {
      return await runCommand(
        command,
        {
          dryRun: values['dry-run'] === true,
          json: values.json === true,
          ...(values.data === undefined ? {} : { dataDir: values.data }),
          ...(values.answers === undefined ? {} : { answersPath: values.answers }),
          ...(values['known-hosts'] === undefined ? {} : { knownHostsPath: values['known-hosts'] }),
          ...(values.identity === undefined ? {} : { identityPath: values.identity }),
        },
        io,
      );
    }
    if (group === 'report' && command === 'verify' && rest.length === 1) {
      const allowedSigners = values['allowed-signers'];
      return await reportVerifyCommand(rest[0]!, { json: values.json === true, ...(allowedSigners === undefined ? {} : { allowedSigners }) }, io);
    }
  } catch (error) {
    if (isAppError(error)) {
      io.stderr.write(`fieldrun: ${error.code}: ${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  }
  io.stderr.write(`fieldrun: unknown command '${positionals.join(' ')}'\n\n${USAGE}`);
  return EXIT.usage;
}
