import { parseArgs } from 'node:util';
import { isAppError } from '../../shared/errors';
import type { CliIo } from './io';
import { EXIT } from './io';
import { planShowCommand, planSignCommand, planValidateCommand } from './planCommands';

const USAGE = `Usage: fieldrun <command> [options]

Commands:
  plan validate <plan>   Check a plan file, folder or archive (with its artifacts); exit 0 when valid, 1 when not.
                         --json prints the result for machines.
  plan show <plan>       A readable summary: hosts, checks, the step graph in order, the outage window
                         in site time and in this computer's time.
  plan sign <plan> --key FILE
                         Head office: sign a valid plan with an Ed25519 OpenSSH key (namespace
                         fieldrun-plan); writes plan.yaml.sig. Passphrase from FIELDRUN_KEY_PASSPHRASE.

Options:
  -h, --help             This text.
`;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, key: { type: 'string' } },
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
