import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { jumpChainOf } from '../../../../electron/core/ssh/connection/jumpChain';
import type { HostEndpoint } from '../../../../electron/core/ssh/connection/types';

const hop = (name: string, jump?: HostEndpoint): HostEndpoint => ({
  name,
  address: `10.0.0.${name.length}${name.charCodeAt(name.length - 1)}`,
  port: 22,
  user: 'fieldrun',
  pinnedKeys: [],
  tags: [],
  ...(jump === undefined ? {} : { jump }),
});

describe('jump chains', () => {
  it('list hops from the outermost jump host to the target', () => {
    const target = hop('target', hop('jump3', hop('jump2', hop('jump1'))));
    expect(jumpChainOf(target).map((h) => h.name)).toEqual(['jump1', 'jump2', 'jump3', 'target']);
  });

  it('refuse a host that appears twice, naming the loop', () => {
    const a = hop('a');
    const b = hop('b', a);
    a.jump = b;
    const error = (() => {
      try {
        jumpChainOf(hop('t', b));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('SSH_JUMP_LOOP');
    expect((error as AppError).message).toContain('loop');
  });

  it('refuse the same endpoint under two names', () => {
    const first = hop('jump', undefined);
    const again = { ...first, name: 'jump-alias', jump: first };
    expect(() => jumpChainOf(again)).toThrow(expect.objectContaining({ code: 'SSH_JUMP_LOOP' }));
  });
});
