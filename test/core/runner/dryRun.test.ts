import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parsePlan } from '../../../shared/plan';
import { dryRun } from '../../../electron/core/runner';
import { EXAMPLE_PLAN_DIR } from './runLab';

it('lists every step instance in run order with commands resolved and secrets masked', () => {
  const parsed = parsePlan(readFileSync(join(EXAMPLE_PLAN_DIR, 'plan.yaml'), 'utf8'), { fileName: 'plan.yaml' });
  if (!parsed.ok) throw new Error('the example plan does not parse');
  const values = { shop_release: { value: '2.4.1', secret: false }, listen_port: { value: '8080', secret: false }, db_password: { value: "s3cr3t'x", secret: true } };
  const instances = dryRun(parsed.plan, values);
  expect(instances.map((i) => `${i.stepId}@${i.host}`).slice(0, 6)).toEqual(['announce@jump1', 'prepare@web1', 'prepare@web2', 'prepare@app1', 'prepare@db1', 'maintenance-on@web1']);
  const migrate = instances.find((i) => i.stepId === 'migrate-db')!;
  expect(migrate.action).toMatchObject({ kind: 'run', sudo: false });
  const text = JSON.stringify(instances);
  expect(text).not.toContain('s3cr3t');
  expect(migrate.action.kind === 'run' && migrate.action.command).toContain('SHOP_DB_PASSWORD=***');
  const backup = instances.find((i) => i.stepId === 'backup-db')!;
  expect(backup.action.kind === 'run' && backup.action.command).toContain("applied-before-'2.4.1'.sql");
  expect(instances.find((i) => i.stepId === 'switch-web')?.serial).toBe(1);
  expect(instances.find((i) => i.stepId === 'install-app')?.action).toMatchObject({ kind: 'upload', to: '/opt/shop/releases/2.4.1/shop-app.sh', mode: '0755' });
  expect(instances.find((i) => i.stepId === 'configure-app')?.action).toMatchObject({ kind: 'run', cwd: '/opt/shop', env: { SHOP_HOME: '/opt/shop' } });
});
