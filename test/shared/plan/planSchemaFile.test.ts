import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildPlanJsonSchema, planJsonSchemaText, PLAN_SCHEMA_ID } from '../../../shared/plan';

const SCHEMA_FILE = fileURLToPath(new URL('../../../resources/schema/plan.schema.json', import.meta.url));

describe('resources/schema/plan.schema.json', () => {
  it('is what `npm run schema` writes from the zod schema', () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(committed, 'resources/schema/plan.schema.json is out of date: run `npm run schema` and commit the result').toBe(planJsonSchemaText());
  });

  it('identifies itself and describes the fields editors complete', () => {
    const schema = buildPlanJsonSchema() as {
      $schema: string;
      $id: string;
      title: string;
      properties: Record<string, { description?: string; properties?: Record<string, { description?: string }> }>;
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe(PLAN_SCHEMA_ID);
    expect(schema.title).toBe('Fieldrun installation plan');
    for (const [key, property] of Object.entries(schema.properties)) expect(property.description, key).toBeTruthy();
    for (const [key, property] of Object.entries(schema.properties['outage']!.properties!)) expect(property.description, `outage.${key}`).toBeTruthy();
  });
});
