import type { z } from 'zod';

/** One UI↔core call: a name, the schema of its single object argument, and the schema of its answer. */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** True when the call changes state (the shell may, e.g., keep the machine awake while it runs). */
  readonly mutates: boolean;
  readonly summary: string;
}

export function method<I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> {
  return spec;
}
