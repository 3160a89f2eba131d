import { z } from 'zod';
import { PlanSchema } from './schema/planSchema';

// The published JSON Schema: what editors (yaml-language-server, VS Code, IntelliJ) use to
// complete and check plans as they are written. Draft-07 because every editor supports it.
// It describes the plan as written (defaults optional); rules across fields that JSON Schema
// cannot say (a needs cycle, an unknown host) are left to Fieldrun's own validation.
export const PLAN_SCHEMA_ID = 'urn:fieldrun:schema:plan:v1';

export function buildPlanJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(PlanSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema, title, description, ...rest } = generated;
  return { $schema, $id: PLAN_SCHEMA_ID, title, description, ...rest };
}

/** The file's exact text, so the test and the writer agree byte for byte. */
export function planJsonSchemaText(): string {
  return `${JSON.stringify(buildPlanJsonSchema(), null, 2)}\n`;
}
