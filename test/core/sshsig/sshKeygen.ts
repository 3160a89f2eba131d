import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Stock OpenSSH's ssh-keygen as the reference peer for signatures and key files. Tests fail
// loudly, naming the package, when it is missing.

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let checked = false;

export function requireSshKeygen(): void {
  if (checked) return;
  const probe = spawnSync('ssh-keygen', ['-Y', 'sign'], { encoding: 'utf8' });
  if (probe.error !== undefined) {
    throw new Error(`ssh-keygen is not installed (${probe.error.message}); these tests need OpenSSH's own tools: apt-get install openssh-client`);
  }
  checked = true;
}

export function sshKeygen(args: readonly string[], input?: Buffer | string): RunResult {
  requireSshKeygen();
  const result = spawnSync('ssh-keygen', args, { input: input ?? '', encoding: 'buffer', timeout: 30_000 });
  if (result.error !== undefined) throw result.error;
  return { status: result.status, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8') };
}

export function mustSucceed(result: RunResult, what: string): RunResult {
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}): ${result.stderr}`);
  return result;
}

/** A scratch folder removed by the returned cleanup. */
export function scratchDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `fieldrun-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface KeyFiles {
  readonly privatePath: string;
  readonly publicLine: string;
}

/** `ssh-keygen -t <type>`; bcrypt rounds kept low (-a 4) so encrypted keys stay quick to open. */
export function makeKey(dir: string, name: string, options: { type?: string; bits?: number; passphrase?: string; cipher?: string; comment?: string } = {}): KeyFiles {
  const privatePath = join(dir, name);
  const args = ['-q', '-t', options.type ?? 'ed25519', '-N', options.passphrase ?? '', '-C', options.comment ?? `${name}@example.com`, '-f', privatePath, '-a', '4'];
  if (options.bits !== undefined) args.push('-b', String(options.bits));
  if (options.cipher !== undefined) args.push('-Z', options.cipher);
  mustSucceed(sshKeygen(args), `ssh-keygen -t ${options.type ?? 'ed25519'}`);
  return { privatePath, publicLine: readFileSync(`${privatePath}.pub`, 'utf8').trim() };
}

/** `ssh-keygen -Y sign` over stdin: the armored signature it prints. */
export function sshKeygenSign(privatePath: string, namespace: string, message: Buffer, extra: readonly string[] = []): string {
  return mustSucceed(sshKeygen(['-Y', 'sign', '-f', privatePath, '-n', namespace, ...extra], message), 'ssh-keygen -Y sign').stdout;
}

export function withFiles<T>(dir: string, files: Record<string, Buffer | string>, body: (paths: Record<string, string>) => T): T {
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    paths[name] = join(dir, name);
    writeFileSync(paths[name], content);
  }
  return body(paths);
}

/** `ssh-keygen -Y verify`; status 0 means OpenSSH accepts signature, signer and namespace. */
export function sshKeygenVerify(dir: string, input: { allowedSigners: string; identity: string; namespace: string; armored: string; message: Buffer; verifyTime?: string }): RunResult {
  return withFiles(dir, { allowed_signers: input.allowedSigners, 'message.sig': input.armored }, (paths) => {
    const args = ['-Y', 'verify', '-f', paths.allowed_signers!, '-I', input.identity, '-n', input.namespace, '-s', paths['message.sig']!];
    if (input.verifyTime !== undefined) args.push('-O', `verify-time=${input.verifyTime}`);
    return sshKeygen(args, input.message);
  });
}

/** `ssh-keygen -Y check-novalidate`: the signature is good, whoever made it. */
export function sshKeygenCheckNovalidate(dir: string, input: { namespace: string; armored: string; message: Buffer }): RunResult {
  return withFiles(dir, { 'check.sig': input.armored }, (paths) => sshKeygen(['-Y', 'check-novalidate', '-n', input.namespace, '-s', paths['check.sig']!], input.message));
}

/** `ssh-keygen -Y find-principals`: the principals allowed_signers lists for the signature's key. */
export function sshKeygenFindPrincipals(dir: string, input: { allowedSigners: string; armored: string }): RunResult {
  return withFiles(dir, { find_signers: input.allowedSigners, 'find.sig': input.armored }, (paths) =>
    sshKeygen(['-Y', 'find-principals', '-f', paths.find_signers!, '-s', paths['find.sig']!]),
  );
}
