// Plan files for screensPrepare.spec.ts (not a spec itself): a plan on the lab's hosts (one
// pinned, one not), one whose text carries HTML that must stay text, and one with mistakes.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import type { TestLab } from '../hosts';

export const CANARY = '<img src=x onerror=window.__canary=1>';
const EXAMPLE_PLAN = resolve('resources/plans/example-plan/plan.yaml');
const FIRST_PLAN = resolve('resources/plans/first-plan.yaml');
const HOUR = 3_600_000;

export interface PreparePlans {
  readonly dir: string;
  /** web1 pinned, app1 not (the baseline asks about its key), app2 pinned with a key it does not have. */
  readonly good: string;
  readonly goodTitle: string;
  readonly canary: string;
  readonly broken: string;
  /** Line of the dangling `needs` in the broken plan (1-based). */
  readonly brokenNeedsLine: number;
  /** The example plan with one more artifact of 2.5 MiB, packed as .tgz: several upload chunks. */
  readonly archive: string;
  readonly archiveTitle: string;
}

function planDoc(lab: TestLab, id: string, title: string): Record<string, unknown> {
  const doc = parse(readFileSync(EXAMPLE_PLAN, 'utf8')) as Record<string, unknown> & { metadata: Record<string, unknown>; checklist: unknown[] };
  const now = Date.now();
  doc.metadata = { ...doc.metadata, id, title, version: '1.0.0' };
  // A window that opens in two hours, in a zone that is not the laptop's.
  doc['outage'] = {
    timeZone: 'America/New_York',
    start: new Date(now + 2 * HOUR).toISOString(),
    pointOfNoReturn: new Date(now + 3 * HOUR).toISOString(),
    end: new Date(now + 4 * HOUR).toISOString(),
  };
  const pins: Record<string, { type: string; fingerprint: string }[]> = {
    web1: lab.host('web1').hostKeys.map((k) => ({ type: k.type, fingerprint: k.fingerprint })),
    app1: [],
    // app2 pinned with another server's key: as if it had been reinstalled since the plan was written.
    app2: lab.host('web1').hostKeys.filter((k) => k.type === 'ssh-ed25519').map((k) => ({ type: k.type, fingerprint: k.fingerprint })),
  };
  doc['hosts'] = Object.entries(pins).map(([name, hostKeys]) => ({
    name,
    address: lab.host(name).address,
    port: lab.host(name).port,
    user: lab.user.name,
    tags: name === 'web1' ? ['web'] : ['app'],
    ...(hostKeys.length === 0 ? {} : { hostKeys }),
  }));
  doc['variables'] = { apiToken: { secret: true, prompt: 'The shop API token from the client' } };
  doc['artifacts'] = [];
  doc.checklist = doc.checklist.slice(0, 2);
  doc['baseline'] = [{ id: 'login-user', title: 'Logged in as the plan user', type: 'command', run: 'id -un', expect: { stdout: { equals: lab.user.name } } }];
  doc['steps'] = [{ id: 'hello', title: 'Say hello', hosts: ['web1', 'app1'], run: 'test -n {{ apiToken }} && echo hello', estimate: '1m' }];
  return doc;
}

export function writePreparePlans(lab: TestLab): PreparePlans {
  const dir = mkdtempSync(join(tmpdir(), 'fieldrun-e2e-prepare-'));
  const goodTitle = 'Install the shop release 2.4.1';
  const good = join(dir, 'shop-plan.yaml');
  writeFileSync(good, stringify(planDoc(lab, 'shop-release', goodTitle)));

  const canaryDoc = planDoc(lab, 'canary-plan', `Canary ${CANARY}`) as Record<string, unknown> & { checklist: Array<Record<string, unknown>>; steps: Array<Record<string, unknown>> };
  canaryDoc.checklist[0] = { ...canaryDoc.checklist[0], text: `Check ${CANARY} stays text` };
  canaryDoc.steps[0] = { ...canaryDoc.steps[0], title: `Step ${CANARY}` };
  const canary = join(dir, 'canary-plan.yaml');
  writeFileSync(canary, stringify(canaryDoc));

  const text = readFileSync(FIRST_PLAN, 'utf8').replace('needs: [prepare]', 'needs: [nothere]').replace("version: '1.0.0'", 'version: [1]');
  const broken = join(dir, 'broken-plan.yaml');
  writeFileSync(broken, text);
  const brokenNeedsLine = text.split('\n').findIndex((line) => line.includes('needs: [nothere]')) + 1;
  return { dir, good, goodTitle, canary, broken, brokenNeedsLine, ...writeArchivePlan(dir) };
}

function writeArchivePlan(dir: string): { archive: string; archiveTitle: string } {
  const folder = join(dir, 'example-plan');
  cpSync(resolve('resources/plans/example-plan'), folder, { recursive: true });
  // Random bytes do not compress: the archive stays over two 1 MiB chunks.
  const blob = randomBytes(2.5 * 1024 * 1024);
  writeFileSync(join(folder, 'artifacts', 'shop-assets.bin'), blob);
  const doc = parse(readFileSync(join(folder, 'plan.yaml'), 'utf8')) as { metadata: Record<string, unknown>; artifacts: unknown[] };
  doc.artifacts.push({ id: 'shop-assets', path: 'artifacts/shop-assets.bin', sha256: createHash('sha256').update(blob).digest('hex'), size: blob.length });
  writeFileSync(join(folder, 'plan.yaml'), stringify(doc));
  const archive = join(dir, 'example-plan.tgz');
  execFileSync('tar', ['czf', archive, '-C', dir, 'example-plan']);
  return { archive, archiveTitle: String(doc.metadata['title']) };
}
