import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSecretsPath, PassphraseFileSecretStore } from '../../../electron/core/keys';
import { readOpenSshPrivateKey } from '../../../electron/core/sshsig';
import { startTestLab, type TestLab } from '../../hosts';
import { labPlanDir, mkdtempSync, removeTempDirs } from '../runner/runLab';
import { sshKeygen, mustSucceed } from '../sshsig/sshKeygen';
import type { CanaryRunInput, CanaryRunResult } from './canaryRun';
import { bytesCanary, filesUnder, pemCanary, scanBytes, scanSharedTree, scanTree, textCanary, type Canary, type CanaryHit } from './canaryScan';

// The canary scan: a full run on the sshd lab through the core's dispatch (identity created with
// a passphrase, an SSH key file credential protected by a passphrase, secret variables and a sudo
// password given on site, baseline, deployment, handover, signed export, diagnostics), with every
// secret a unique canary. The core runs in a child process with its own temp folder, so its
// stdout, stderr and temp files are all captured. Then every place a secret could end up is
// scanned for every canary in every common encoding; a hit names the place and the kind of
// canary, never the value.

const ROOT = join(import.meta.dirname, '../../..');
const tag = randomBytes(6).toString('hex');
// Quotes, backslash, slash, ampersand, plus, space and a non-ASCII letter: each encoding differs from the plain text.
const DB_PASSWORD = `Cnry-db-${tag} a"b\\c'd/e&f+g é`;
const API_TOKEN = `tok_${randomBytes(16).toString('hex')}`;
const KEY_PASSPHRASE = `Cnry key passphrase ${tag}`;
const IDENTITY_PASSPHRASE = `Cnry identity passphrase ${tag}`;

let lab: TestLab;
let work: string;
let input: CanaryRunInput;
let childTmp: string;
let result: CanaryRunResult;
let stdout: Buffer;
let stderr: Buffer;
let keyPem: string;
/** Entries the shared temp folder gained while the core ran. */
let newTempEntries: string[];

function runChild(childInput: CanaryRunInput): Promise<{ code: number | null; stdout: Buffer; stderr: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'canaryRun.ts')], {
      cwd: ROOT,
      // TMPDIR: everything the core puts in "the OS temp folder" lands where the test scans it.
      env: { ...process.env, TMPDIR: childTmp },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }));
    child.stdin.end(JSON.stringify(childInput));
  });
}

function planDir(): string {
  return labPlanDir(
    lab,
    ['web1'],
    [
      { id: 'prepare', title: 'Create the folders (sudo)', hosts: ['web1'], sudo: true, run: 'id -u > /tmp/canary-sudo-uid' },
      {
        id: 'use-secrets',
        title: 'Use the secrets, and print them (masked) as a careless tool would',
        hosts: ['web1'],
        needs: ['prepare'],
        run: [
          `printf '%s' {{ db_password }} | sha256sum | cut -d' ' -f1 > "$HOME/db_password.sha256"`,
          `printf '%s' {{ api_token }} | sha256sum | cut -d' ' -f1 > "$HOME/api_token.sha256"`,
          // printf, not echo: dash's echo would read the backslash in the value as an escape.
          `printf 'password: %s\\n' {{ db_password }}`,
          `printf '%s' {{ db_password }} | base64 -w0; echo`,
          'echo "token:" {{ api_token }} >&2',
          `printf 'Authorization: Basic %s\\n' "$(printf 'svc:%s' {{ api_token }} | base64 -w0)"`,
        ].join('\n'),
      },
      {
        id: 'flaky',
        title: 'Fails once, printing the secret in its error as a careless tool would',
        hosts: ['web1'],
        needs: ['use-secrets'],
        run: `if [ ! -e "$HOME/flaky-once" ]; then touch "$HOME/flaky-once"; printf 'login failed for %s\\n' {{ db_password }} >&2; exit 3; fi\necho flaky ok`,
      },
      { id: 'check', title: 'Check with the client', hosts: ['web1'], needs: ['flaky'], manual: { instructions: 'Open the shop with the client.' }, confirm: 'Does it work?' },
    ],
    {
      db_password: { secret: true, prompt: 'Database password' },
      api_token: { secret: true, prompt: 'API token' },
    },
  );
}

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['web1'] });
  work = mkdtempSync(join(tmpdir(), 'fieldrun-canary-'));
  childTmp = join(work, 'tmp');
  mkdirSync(childTmp);
  // The lab's authorized key, re-encrypted under a passphrase that is a canary of its own.
  const keyPath = join(work, 'client_key');
  copyFileSync(lab.user.encryptedKeyPath, keyPath);
  chmodSync(keyPath, 0o600);
  mustSucceed(sshKeygen(['-p', '-q', '-f', keyPath, '-P', lab.user.passphrase, '-N', KEY_PASSPHRASE, '-a', '4']), 'ssh-keygen -p');
  keyPem = readFileSync(keyPath, 'utf8');
  input = {
    dataDir: join(work, 'data'),
    planDir: planDir(),
    keyPath,
    keyPassphrase: KEY_PASSPHRASE,
    identityPassphrase: IDENTITY_PASSPHRASE,
    technician: 'tech@example.com',
    secrets: { db_password: DB_PASSWORD, api_token: API_TOKEN },
    sudoPassword: lab.user.sudoPassword,
    databaseCopyDir: join(work, 'db-copy'),
    resultPath: join(work, 'result.json'),
  };
  const tempBefore = new Set(readdirSync(tmpdir()));
  const child = await runChild(input);
  newTempEntries = readdirSync(tmpdir())
    .filter((name) => !tempBefore.has(name))
    .map((name) => join(tmpdir(), name));
  stdout = child.stdout;
  stderr = child.stderr;
  const answer = existsSync(input.resultPath) ? (JSON.parse(readFileSync(input.resultPath, 'utf8')) as { ok: true; result: CanaryRunResult } | { ok: false; error: string }) : undefined;
  if (answer === undefined || !answer.ok) throw new Error(`the canary run failed (exit ${child.code}): ${answer?.ok === false ? answer.error : 'no result'}`);
  result = answer.result;
}, 180_000);

afterAll(async () => {
  await lab?.stop();
  removeTempDirs();
});

/** Every canary of the run: the SSH key in its forms, the passphrases, the sudo password, each secret value, the signing key. */
async function allCanaries(): Promise<Canary[]> {
  const sshKey = readOpenSshPrivateKey(keyPem, KEY_PASSPHRASE).privateKey.export({ format: 'der', type: 'pkcs8' });
  const store = await PassphraseFileSecretStore.open({ path: defaultSecretsPath(input.dataDir), passphrase: IDENTITY_PASSPHRASE });
  const { secretName } = JSON.parse(readFileSync(join(input.dataDir, 'keys', 'identity.json'), 'utf8')) as { secretName: string };
  const signingKey = await store.get(secretName);
  if (signingKey === undefined) throw new Error('the signing key is not in the key store');
  return [
    pemCanary('ssh private key (PEM text or body)', keyPem),
    bytesCanary('ssh private key (raw seed)', sshKey.subarray(sshKey.length - 32)),
    bytesCanary('ssh private key (PKCS#8)', sshKey),
    textCanary('ssh key passphrase', KEY_PASSPHRASE),
    textCanary('identity passphrase', IDENTITY_PASSPHRASE),
    textCanary('sudo password', lab.user.sudoPassword),
    textCanary('secret variable db_password', DB_PASSWORD),
    textCanary('secret variable api_token', API_TOKEN),
    bytesCanary('report signing key (raw seed)', signingKey.subarray(signingKey.length - 32)),
    bytesCanary('report signing key (PKCS#8)', signingKey),
  ];
}

const named = (hits: readonly CanaryHit[]): string[] => hits.map((hit) => `${hit.where.startsWith(work) ? relative(work, hit.where) : hit.where}: ${hit.kind}`);

describe('the canary scan after a full run, export and diagnostics', () => {
  it('ran for real: the secrets reached the host, sudo worked, and the run is done with a signed export', () => {
    expect(result.phase).toBe('done');
    expect(result.instances).toEqual({ 'prepare@web1': 'succeeded', 'use-secrets@web1': 'succeeded', 'flaky@web1': 'succeeded', 'check@web1': 'succeeded' });
    expect(result.refusals.map((r) => `${r.method}: ${r.code}`)).toEqual(['credentials.set: SSH_PASSPHRASE_REQUIRED', 'identity.create: INPUT_INVALID']);
    const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
    expect(readFileSync(lab.host('web1').pathOnHost('~/db_password.sha256'), 'utf8').trim()).toBe(sha256(DB_PASSWORD));
    expect(readFileSync(lab.host('web1').pathOnHost('~/api_token.sha256'), 'utf8').trim()).toBe(sha256(API_TOKEN));
    expect(readFileSync(lab.host('web1').pathOnHost('/tmp/canary-sudo-uid'), 'utf8').trim()).toBe('0');
    // The printed secrets were masked where they were recorded.
    const outputs = filesUnder(join(result.bundleDir, 'outputs')).map((path) => readFileSync(path, 'utf8'));
    expect(outputs.some((text) => /^password: \*\*\*$/m.test(text))).toBe(true);
    expect(outputs.some((text) => /^token: \*\*\*$/m.test(text))).toBe(true);
    expect(outputs.some((text) => /^login failed for \*\*\*$/m.test(text))).toBe(true);
    expect(outputs.some((text) => /^Authorization: Basic [A-Za-z0-9+/]{0,8}\*\*\*[A-Za-z0-9+/]{0,4}=*$/m.test(text))).toBe(true);
  });

  it('finds none of the canaries in the database, its -wal and -shm, the data folder, temp files, bundle, archive, diagnostics or output', async () => {
    const canaries = await allCanaries();
    // The scanner itself finds each canary in each of its forms (a scan that finds nothing proves nothing otherwise).
    for (const canary of canaries) for (const form of canary.forms) expect(scanBytes('control', Buffer.concat([Buffer.from('x'), form, Buffer.from('y')]), [canary])).toHaveLength(1);

    const [db, wal, shm] = result.databaseCopies;
    expect(statSync(wal!).size, 'the -wal copy holds the recent writes').toBeGreaterThan(0);
    expect(statSync(shm!).size).toBeGreaterThan(0);
    expect(statSync(db!).size).toBeGreaterThan(0);
    for (const path of [result.bundleDir, result.archivePath, result.diagnosticsPath]) expect(path.startsWith(input.dataDir), `${path} is in the data folder`).toBe(true);

    const places = [input.databaseCopyDir, input.dataDir, childTmp, result.bundleDir, result.archivePath, result.diagnosticsPath];
    let files = 0;
    const hits: CanaryHit[] = [];
    for (const place of places) {
      const scanned = scanTree(place, canaries);
      files += scanned.files;
      hits.push(...scanned.hits);
    }
    hits.push(...scanBytes('stdout of the core', stdout, canaries), ...scanBytes('stderr of the core', stderr, canaries));
    // The core was given its own temp folder; the shared one is swept too, for anything that
    // ignored TMPDIR. Other tests write there at the same time, so only this run's own random
    // canaries are looked for (not the lab's sudo password or key, which other tests use too),
    // and large files are passed over.
    const shared = new Set(['sudo password', 'ssh private key (raw seed)', 'ssh private key (PKCS#8)']);
    const ownCanaries = canaries.filter((canary) => !shared.has(canary.kind));
    for (const entry of newTempEntries) hits.push(...scanSharedTree(entry, ownCanaries, 32 * 1024 * 1024).hits);
    for (const refusal of result.refusals) hits.push(...scanBytes(`the refusal of ${refusal.method}`, Buffer.from(refusal.error), canaries));
    expect(files).toBeGreaterThan(10);
    expect(named(hits)).toEqual([]);
  });

  it('signs the report with the vault identity so that `fieldrun report verify` and `ssh-keygen -Y verify` both accept it', () => {
    const allowed = join(work, 'allowed_signers');
    writeFileSync(allowed, `${result.allowedSignersLine}\n`);
    expect(result.allowedSignersLine).toMatch(/^tech@example\.com namespaces="fieldrun-report" ssh-ed25519 /);
    const cli = spawnSync(process.execPath, [join(ROOT, 'bin/fieldrun.mjs'), 'report', 'verify', result.bundleDir, '--allowed-signers', allowed], { encoding: 'utf8', cwd: ROOT, timeout: 60_000 });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toContain('TRUSTED: intact and signed by tech@example.com');
    expect(cli.status).toBe(0);
    const ssh = sshKeygen(['-Y', 'verify', '-f', allowed, '-I', 'tech@example.com', '-n', 'fieldrun-report', '-s', join(result.bundleDir, 'manifest.json.sig')], readFileSync(join(result.bundleDir, 'manifest.json')));
    expect(ssh.stdout + ssh.stderr).toContain('Good "fieldrun-report" signature');
    expect(ssh.status).toBe(0);
  });
});
