import { describe, expect, it } from 'vitest';
import { keepAwakeWanted, powerSaveToggle } from '../../electron/main/powerPolicy';

describe('power-save blocker', () => {
  it('is wanted while any run works on servers by itself', () => {
    expect(keepAwakeWanted(['prepare', 'done'])).toBe(false);
    expect(keepAwakeWanted([])).toBe(false);
    for (const phase of ['baseline', 'deploy', 'rollback'] as const) expect(keepAwakeWanted(['done', undefined, phase])).toBe(true);
  });

  it('holds one blocker at a time and releases it (recording fake of powerSaveBlocker)', () => {
    const log: string[] = [];
    let next = 1;
    const toggle = powerSaveToggle({ start: (type) => (log.push(`start ${type}`), next++), stop: (id) => log.push(`stop ${id}`) });
    toggle(true);
    toggle(true);
    toggle(false);
    toggle(false);
    toggle(true);
    expect(log).toEqual(['start prevent-app-suspension', 'stop 1', 'start prevent-app-suspension']);
  });
});
