import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../shared/errors';

// The answers a headless rehearsal gives in place of the technician. Anything the run asks that
// is not answered here stops the run: the file is the only source of decisions, never a default.

const Note = z.string().trim().min(1);

export const RunAnswersSchema = z
  .object({
    checklist: z.record(z.string(), Note).default({}),
    manual: z.record(z.string(), Note).default({}),
    confirm: z.record(z.string(), z.boolean()).default({}),
    secrets: z.record(z.string(), z.string()).default({}),
    /** Baseline waivers keyed `checkId@host`, each with its reason. */
    waive: z.record(z.string(), Note).default({}),
    acknowledgeFlags: Note.optional(),
    acknowledgeUntrustedPlan: Note.optional(),
    onFailure: z.literal('abort').optional(),
  })
  .strict();

export type RunAnswers = z.infer<typeof RunAnswersSchema>;

export const NO_ANSWERS: RunAnswers = RunAnswersSchema.parse({});

/** Reads an answers file (YAML, of which JSON is a subset). */
export function readRunAnswers(path: string): RunAnswers {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError('INPUT_INVALID', `The answers file ${path} cannot be read: ${error instanceof Error ? error.message : String(error)}. Fix the file and run again.`, { path });
  }
  const parsed = RunAnswersSchema.safeParse(doc ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new AppError('INPUT_INVALID', `The answers file ${path} is not valid: ${issues}. Fix the file and run again.`, { path });
  }
  return parsed.data;
}

/** A secret from the answers file, else from FIELDRUN_SECRET_<NAME> (the sudo password also from FIELDRUN_SUDO_PASSWORD). */
export function secretFor(name: string, answers: RunAnswers, env: NodeJS.ProcessEnv): string | undefined {
  const fromFile = answers.secrets[name];
  if (fromFile !== undefined) return fromFile;
  if (name === 'sudo' && env['FIELDRUN_SUDO_PASSWORD'] !== undefined) return env['FIELDRUN_SUDO_PASSWORD'];
  return env[`FIELDRUN_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`];
}
