// Writes resources/schema/plan.schema.json from the zod schema in shared/plan, so that editors
// check plans against exactly what Fieldrun accepts. Run with `npm run schema` after changing the
// schema; a test fails while the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { planJsonSchemaText } from '../shared/plan';

const PLAN_SCHEMA_FILE = fileURLToPath(new URL('../resources/schema/plan.schema.json', import.meta.url));

writeFileSync(PLAN_SCHEMA_FILE, planJsonSchemaText());
process.stdout.write(`wrote ${PLAN_SCHEMA_FILE}\n`);
