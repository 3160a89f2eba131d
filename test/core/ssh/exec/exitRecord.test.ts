import { describe, expect, it } from 'vitest';
import { parseExitRecord } from '../../../../electron/core/ssh/exec/commandResult';
import { assertExecId } from '../../../../electron/core/ssh/exec/execId';
import { buildJobScript } from '../../../../electron/core/ssh/exec/jobScript';

describe('the exit record', () => {
  it('reads exit codes, signals, stop reasons and the host time', () => {
    expect(parseExitRecord('0 1795677117 -')).toEqual({ outcome: { kind: 'exited', code: 0 }, hostEndedAt: 1795677117000, stoppedBy: undefined });
    expect(parseExitRecord('signal:TERM 1795677117 timeout\n')).toMatchObject({ outcome: { kind: 'signalled', signal: 'SIGTERM' }, stoppedBy: 'timeout' });
    expect(parseExitRecord('signal:KILL 1 cancel').outcome).toEqual({ kind: 'signalled', signal: 'SIGKILL' });
    expect(parseExitRecord('143 1 cancel').outcome).toEqual({ kind: 'exited', code: 143 });
  });

  it('never turns a record it cannot read into success or failure', () => {
    expect(parseExitRecord('lost 1 -').outcome).toEqual({ kind: 'unknown', reason: 'lost' });
    expect(parseExitRecord('').outcome).toEqual({ kind: 'unknown', reason: 'lost' });
  });
});

describe('the job text', () => {
  it('exports values quoted for the shell and changes directory before the command', () => {
    expect(buildJobScript({ command: 'make install', env: { A: "x'; rm -rf ~ #" }, cwd: '/opt/my app' })).toBe(
      "A='x'\\''; rm -rf ~ #'; export A\ncd -- '/opt/my app' || exit 1\nmake install\n",
    );
  });

  it('refuses what no shell could carry or a name that is not a variable', () => {
    expect(() => buildJobScript({ command: 'echo \0' })).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
    expect(() => buildJobScript({ command: '  ' })).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
    expect(() => buildJobScript({ command: 'true', env: { '1X': 'v' } })).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });

  it('accepts execution ids made for directory names only', () => {
    expect(() => assertExecId('run-7.step_3.1')).not.toThrow();
    for (const bad of ['', '.', '..', 'a/b', 'a b', '$(x)', 'x'.repeat(129)]) expect(() => assertExecId(bad)).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });
});
