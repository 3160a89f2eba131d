// credentials.set takes a path from the renderer, which is untrusted: the core reads only a
// regular key file of at most 64 KiB (never a device, a FIFO or a huge file that would hang it or
// fill its memory), answers "cannot read the key file at that path" alike for a missing, an
// unreadable or an unfit file, and speaks the agent protocol only to a Unix socket.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/core';
import { mkdtempSync, removeTempDirs } from '../runner/runLab';

const KEYS = join(import.meta.dirname, '../../hosts/keys');
let core: Core;
let work: string;
let agent: Server;
const agentPath = (): string => join(work, 'agent.sock');

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'fieldrun-key-bounds-'));
  core = createCore({ dataDir: join(work, 'data'), strictOutputs: true });
  agent = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => agent.listen(agentPath(), resolve));
});
afterAll(async () => {
  core?.close();
  await new Promise((resolve) => agent?.close(resolve));
  removeTempDirs();
});

const setKey = (path: string) => core.dispatch('credentials.set', { name: 'ops', credential: { kind: 'keyFile', path }, appliesTo: { all: true } });

describe('credentials.set with a key file', () => {
  it('reads a real key file', async () => {
    const result = await setKey(join(KEYS, 'client_ed25519'));
    expect(result.ok).toBe(true);
  });

  it('refuses a device, a FIFO, a folder, a file over 64 KiB and a missing file with one answer, quickly', async () => {
    const fifo = join(work, 'key.fifo');
    execFileSync('mkfifo', [fifo]);
    const huge = join(work, 'huge_key');
    writeFileSync(huge, Buffer.alloc(64 * 1024 + 1, 0x41));
    const paths = ['/dev/zero', '/dev/urandom', fifo, work, huge, join(work, 'no-such-key')];
    const answers = await Promise.all(paths.map(setKey));
    for (const [index, answer] of answers.entries()) {
      const path = paths[index]!;
      expect(answer.ok, path).toBe(false);
      if (answer.ok) continue;
      expect(answer.error.code, path).toBe('SSH_KEY_INVALID');
      expect(answer.error.message, path).toBe(`Cannot read the key file at ${path}: Fieldrun reads only a readable regular file of at most 64 KiB. Check the path and its permissions.`);
    }
    expect((await call('credentials.list')).profiles.map((p: { where: string | null }) => p.where)).toEqual([join(KEYS, 'client_ed25519')]);
  });
});

describe('credentials.set with an agent', () => {
  it('accepts a Unix socket and refuses a regular file or a missing path as an agent', async () => {
    expect((await core.dispatch('credentials.set', { name: 'agent', credential: { kind: 'agent', socketPath: agentPath() }, appliesTo: { tags: ['web'] } })).ok).toBe(true);
    for (const socketPath of [join(KEYS, 'client_ed25519'), join(work, 'no-agent.sock'), '/dev/null']) {
      const refused = await core.dispatch('credentials.set', { name: 'fake-agent', credential: { kind: 'agent', socketPath }, appliesTo: { all: true } });
      expect(refused.ok, socketPath).toBe(false);
      if (!refused.ok) expect(refused.error.message, socketPath).toContain(`There is no SSH agent socket at ${socketPath}`);
    }
  });
});

async function call(method: 'credentials.list'): Promise<{ profiles: Array<{ where: string | null }> }> {
  const result = await core.dispatch(method, {});
  if (!result.ok) throw new Error(result.error.message);
  return result.value as { profiles: Array<{ where: string | null }> };
}
