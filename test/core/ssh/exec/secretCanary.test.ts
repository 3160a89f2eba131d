import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshConnection } from '../../../../electron/core/ssh/connection';
import { startCommand } from '../../../../electron/core/ssh/exec';
import { startTestLab, type TestLab } from '../../../hosts';
import { connectLab, newExecId, OutputCollector } from './labShell';

let lab: TestLab;
let shell: SshConnection;

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['app2'] });
  shell = await connectLab(lab, 'app2');
});

afterAll(async () => {
  shell?.close();
  await lab?.stop();
});

/** Polls the host's process list (every command line) while `running` is pending. */
async function watchProcessList(patterns: string[], running: Promise<unknown>): Promise<{ samples: number; hits: number }> {
  let done = false;
  void running.finally(() => (done = true));
  let samples = 0;
  let hits = 0;
  while (!done) {
    for (const pattern of patterns) hits += await lab.faults.countProcesses('app2', pattern);
    samples += 1;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { samples, hits };
}

describe('a canary secret', () => {
  it('passed through the command text, an environment variable and sudo never shows in output or on any command line', async () => {
    const canary = `canary-${randomBytes(9).toString('hex')}`;
    const sudoPassword = lab.user.sudoPassword;
    const execId = newExecId('canary');
    const command = [
      // the command text itself holds the canary, as after substituting a secret variable
      `echo "in the command text: ${canary}"`,
      'echo "from the environment: $TOKEN" >&2',
      // split on the wire: half, a pause so it travels in its own frame, the other half
      'printf "%s" "split: ${TOKEN%????????????}"; sleep 0.4; printf "%s\\n" "${TOKEN#${TOKEN%????????????}}"',
      'printf "%s" "user:$TOKEN" | base64',
      // the job's stdin under sudo is empty: the password lines never reach the command
      'printf "stdin: [%s]\\n" "$(cat)"',
      'id -u',
      'sleep 1.5',
    ].join('\n');
    const out = new OutputCollector();
    const running = startCommand(shell, { execId, command, env: { TOKEN: canary }, sudo: { password: sudoPassword }, secrets: [canary] }, out.sink);
    const watched = watchProcessList([canary, sudoPassword], running);
    const result = await running;
    const { samples, hits } = await watched;

    expect(result).toMatchObject({ kind: 'exited', code: 0 });
    const stdout = out.text('stdout');
    const stderr = out.text('stderr');
    expect(stdout).toContain('in the command text: ***');
    expect(stdout).toContain('split: ***');
    expect(stdout).toContain('stdin: []');
    expect(stdout).toContain('0\n');
    expect(stderr).toBe('from the environment: ***\n');
    for (const text of [stdout, stderr]) {
      expect(text).not.toContain(canary);
      expect(text).not.toContain(sudoPassword);
      // characters 8..30 of base64('user:' + canary) are made of the canary's bits alone
      expect(text).not.toContain(Buffer.from(`user:${canary}`).toString('base64').slice(8, 30));
    }
    // the split really crossed pieces: the raw stream delivered the canary in more than one
    expect(out.pieces.filter((p) => p.stream === 'stdout').length).toBeGreaterThan(1);
    // never on a command line on the host during the run
    expect(samples).toBeGreaterThan(3);
    expect(hits).toBe(0);
    // and the wrapper wrote neither secret into its own files (out and err hold what the command printed)
    const dir = lab.host('app2').pathOnHost(`/home/fieldrun/.fieldrun/runs/${execId}`);
    for (const name of readdirSync(dir).filter((n) => n !== 'out' && n !== 'err')) {
      const content = readFileSync(join(dir, name), 'utf8');
      expect(content, name).not.toContain(canary);
      expect(content, name).not.toContain(sudoPassword);
    }
  }, 30_000);
});
