import { z } from 'zod';

// What a person should write at a place in the plan, in words ("a slug such as web-1"). Kept
// in its own registry rather than in `.meta()` so it does not leak into the JSON Schema; zod
// carries registry entries over to the copies `.describe()` makes.
export const planExpectations = z.registry<{ expected: string }>();

export function expecting<T extends z.ZodType>(schema: T, expected: string): T {
  planExpectations.add(schema, { expected });
  return schema;
}

export function expectedOf(schema: z.ZodType): string | undefined {
  return planExpectations.get(schema)?.expected;
}
