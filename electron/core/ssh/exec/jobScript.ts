import { AppError } from '../../../../shared/errors';
import { shellQuote } from './shellQuote';

export interface JobSpec {
  command: string;
  env?: Readonly<Record<string, string>>;
  cwd?: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function refuseNul(value: string, field: string): void {
  if (value.includes('\0')) {
    throw new AppError('INPUT_INVALID', `The ${field} contains a NUL byte, which no shell can carry. Remove it.`, { field });
  }
}

/**
 * The text the remote job shell evaluates: exports, the working directory, then the command as
 * written. It travels on stdin inside the launch script, so neither values nor the command ever
 * appear on a command line or in an SSH environment request.
 */
export function buildJobScript(spec: JobSpec): string {
  refuseNul(spec.command, 'command');
  if (spec.command.trim() === '') throw new AppError('INPUT_INVALID', 'The command is empty. Give the command to run.', { field: 'command' });
  const lines: string[] = [];
  for (const [name, value] of Object.entries(spec.env ?? {})) {
    if (!ENV_NAME.test(name)) {
      throw new AppError('INPUT_INVALID', `Environment variable name '${name.slice(0, 80)}' is not valid: use letters, digits and _ , not starting with a digit.`, { field: 'env' });
    }
    refuseNul(value, `value of ${name}`);
    lines.push(`${name}=${shellQuote(value)}; export ${name}`);
  }
  if (spec.cwd !== undefined) {
    refuseNul(spec.cwd, 'working directory');
    lines.push(`cd -- ${shellQuote(spec.cwd)} || exit 1`);
  }
  lines.push(spec.command, '');
  return lines.join('\n');
}
