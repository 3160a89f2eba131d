// Plans head office publishes in <base>/plans/ on the nginx peer: listed with whether each was
// imported, a signed archive imported against the trusted plan signers, an unsigned one only with
// the technician's acknowledgement, and one changed after signing refused.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../../../shared/contract';
import { formatOpenSshPublicKey, PLAN_NAMESPACE, signSshsig } from '../../../../electron/core/sshsig';
import { withLines } from '../../../shared/plan/basePlan';
import { startNginxPeer, type NginxPeer } from '../nginx/nginxPeer';
import { call, EXAMPLE_PLAN_DIR, headOfficeInput, openAppLab, refusal, type AppLab } from './appLab';

const TAR = '/usr/bin/tar';
let peer: NginxPeer;
let lab: AppLab;
const headOfficeKey = generateKeyPairSync('ed25519');
const TRUSTED = `plans@head-office.example namespaces="${PLAN_NAMESPACE}" ${formatOpenSshPublicKey(headOfficeKey.publicKey)}\n`;

beforeAll(async () => {
  if (!existsSync(TAR)) throw new Error(`${TAR} is missing. Install it: apt-get install tar`);
  peer = await startNginxPeer({ folders: ['reports'] });
  lab = await openAppLab('plans');
});
afterAll(async () => {
  lab?.dispose();
  await peer?.stop();
});

/** A copy of the example plan with its own version, signed by head office unless `signed` is false. */
function planFolder(name: string, version: string, signed: boolean, comment = ''): string {
  const dir = join(lab.work, name);
  cpSync(EXAMPLE_PLAN_DIR, dir, { recursive: true });
  const path = join(dir, 'plan.yaml');
  writeFileSync(path, `${readFileSync(path, 'utf8').replace("version: '2.4.1-1'", `version: '${version}'`)}${comment}`);
  if (signed) writeFileSync(`${path}.sig`, signSshsig({ message: readFileSync(path), namespace: PLAN_NAMESPACE, privateKey: headOfficeKey.privateKey }));
  return dir;
}

/** Archives a plan folder with the system's tar and publishes it under <base>/plans/. */
function publish(dir: string, fileName: string): void {
  const archive = join(lab.work, fileName);
  const members = readdirSync(dir).sort();
  execFileSync(TAR, [fileName.endsWith('.gz') ? '-czf' : '-cf', archive, '-C', dir, ...members]);
  peer.placeFile(`reports/plans/${fileName}`, readFileSync(archive));
}

describe('plans from head office', () => {
  it('lists, imports a signed plan, asks for an acknowledgement for an unsigned one and refuses a tampered one', async () => {
    const core = lab.core;
    const changed: string[] = [];
    core.events.subscribe(<E extends EventName>(name: E, payload: EventPayload<E>) => {
      if (name === 'plans.changed') changed.push((payload as EventPayload<'plans.changed'>).hash);
    });
    expect(await refusal(core, 'headOffice.plans.list', {})).toMatchObject({ code: 'SYNC_CONFIG_INVALID' });

    publish(planFolder('signed', '3.0.0', true), 'signed-plan.tar.gz');
    publish(planFolder('unsigned', '3.0.1', false), 'unsigned-plan.tar');
    const tampered = planFolder('tampered', '3.0.2', true);
    writeFileSync(join(tampered, 'plan.yaml'), readFileSync(join(tampered, 'plan.yaml'), 'utf8').replace('title:', 'title: Changed after signing -'));
    publish(tampered, 'tampered-plan.tar.gz');
    peer.placeFile('reports/plans/readme.txt', 'Plans for the technicians.\n');

    expect((await call(core, 'headOffice.set', headOfficeInput(peer))).saved).toBe(true);
    await call(core, 'planSigners.set', { allowedSigners: TRUSTED });
    const listed = await call(core, 'headOffice.plans.list', {});
    expect(listed.plans.map((p) => [p.name, p.imported])).toEqual([
      ['signed-plan.tar.gz', false],
      ['tampered-plan.tar.gz', false],
      ['unsigned-plan.tar', false],
    ]);
    expect(listed.plans[0]?.size).toBe(readFileSync(join(lab.work, 'signed-plan.tar.gz')).length);

    const signed = await call(core, 'headOffice.plans.import', { name: 'signed-plan.tar.gz' });
    expect(signed).toMatchObject({ alreadyImported: false, signatureStatus: 'valid-trusted' });
    const stored = await call(core, 'plans.get', { hash: signed.planHash });
    expect(stored.plan).toMatchObject({ version: '3.0.0', source: { kind: 'archive', name: 'signed-plan.tar.gz' }, signature: { status: 'valid-trusted' }, artifactCount: 4 });
    expect(changed).toEqual([signed.planHash]);
    expect(await call(core, 'headOffice.plans.import', { name: 'signed-plan.tar.gz' })).toEqual({ ...signed, alreadyImported: true });

    const untrusted = await refusal(core, 'headOffice.plans.import', { name: 'unsigned-plan.tar' });
    expect(untrusted).toMatchObject({ code: 'PLAN_NOT_TRUSTED', details: { status: 'unsigned', planHash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const shownHash = String(untrusted.details?.['planHash']);
    // The server swaps in another unsigned plan under the same name before the technician clicks: refused, nothing imported.
    const original = readFileSync(join(lab.work, 'unsigned-plan.tar'));
    publish(planFolder('unsigned-swapped', '6.6.6', false), 'unsigned-plan.tar');
    expect(await refusal(core, 'headOffice.plans.import', { name: 'unsigned-plan.tar', acknowledgeUntrusted: { note: 'head office phoned: plan 3.0.1 is theirs', expectSha256: shownHash } })).toMatchObject({
      code: 'PLAN_ACKNOWLEDGEMENT_STALE',
    });
    expect((await call(core, 'plans.list', {})).plans.map((p) => p.version)).not.toContain('6.6.6');
    peer.placeFile('reports/plans/unsigned-plan.tar', original);
    const unsigned = await call(core, 'headOffice.plans.import', { name: 'unsigned-plan.tar', acknowledgeUntrusted: { note: 'head office phoned: plan 3.0.1 is theirs', expectSha256: shownHash } });
    expect(unsigned.planHash).toBe(shownHash);
    // The record of imports is the data folder's like every other file: the owner's alone.
    expect(statSync(join(lab.dataDir, 'head-office-plans.json')).mode & 0o777).toBe(0o600);
    expect(unsigned).toMatchObject({ alreadyImported: false, signatureStatus: 'unsigned' });
    expect((await call(core, 'plans.get', { hash: unsigned.planHash })).plan).toMatchObject({ version: '3.0.1', acknowledged: true });

    expect(await refusal(core, 'headOffice.plans.import', { name: 'tampered-plan.tar.gz', acknowledgeUntrusted: { note: 'trying anyway' } })).toMatchObject({
      code: 'PLAN_SIGNATURE_INVALID',
    });
    expect(await refusal(core, 'headOffice.plans.import', { name: 'readme.txt' })).toMatchObject({ code: 'PLAN_NOT_FOUND' });
    expect(await refusal(core, 'headOffice.plans.import', { name: 'gone.tar' })).toMatchObject({ code: 'PLAN_NOT_FOUND' });
    expect(await refusal(core, 'headOffice.plans.import', { name: '../fieldrun.db' })).toMatchObject({ code: 'PLAN_NOT_FOUND' });

    const after = await call(core, 'headOffice.plans.list', {});
    expect(after.plans.map((p) => [p.name, p.imported])).toEqual([
      ['signed-plan.tar.gz', true],
      ['tampered-plan.tar.gz', false],
      ['unsigned-plan.tar', true],
    ]);
    expect((await call(core, 'plans.list', {})).plans.map((p) => p.version).sort()).toEqual(['3.0.0', '3.0.1']);
    // Head office publishes a new file under an old name (a kilobyte of noise makes its size differ): it is new again.
    publish(planFolder('signed-again', '3.1.0', true, `# ${randomBytes(1024).toString('hex')}\n`), 'signed-plan.tar.gz');
    expect((await call(core, 'headOffice.plans.list', {})).plans[0]).toMatchObject({ name: 'signed-plan.tar.gz', imported: false });

    // No download is left in the data folder, imported or refused.
    const downloads = join(lab.dataDir, 'head-office-downloads');
    expect(existsSync(downloads) ? readdirSync(downloads) : []).toEqual([]);
  }, 60_000);

  it('imports a single signed plan file with its signature published beside it', async () => {
    const core = lab.core;
    // The small base plan without artifacts: a plan that is one file.
    const text = withLines({ 42: null, 43: null, 44: null, 45: null, 56: null, 57: null, 58: null, 59: null, 60: null, 61: null, 62: null, 66: '    needs: [prepare]' });
    const signature = signSshsig({ message: Buffer.from(text), namespace: PLAN_NAMESPACE, privateKey: headOfficeKey.privateKey });
    peer.placeFile('reports/plans/single-plan.yaml', text);
    peer.placeFile('reports/plans/single-plan.yaml.sig', signature);
    peer.placeFile('reports/plans/lonely-plan.yml', text.replace("version: '1.0'", "version: '1.1'"));
    const names = (await call(core, 'headOffice.plans.list', {})).plans.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['single-plan.yaml', 'lonely-plan.yml']));
    expect(names.filter((n) => n.endsWith('.sig'))).toEqual([]);

    const single = await call(core, 'headOffice.plans.import', { name: 'single-plan.yaml' });
    expect(single).toMatchObject({ alreadyImported: false, signatureStatus: 'valid-trusted' });
    expect((await call(core, 'plans.get', { hash: single.planHash })).plan).toMatchObject({ planId: 'demo', source: { kind: 'file', name: 'single-plan.yaml' } });
    expect(await refusal(core, 'headOffice.plans.import', { name: 'lonely-plan.yml' })).toMatchObject({ code: 'PLAN_NOT_TRUSTED' });
    expect(await refusal(core, 'headOffice.plans.import', { name: 'single-plan.yaml.sig' })).toMatchObject({ code: 'PLAN_NOT_FOUND' });
  });
});
