import { describe, expect, it } from 'vitest';
import { ChannelSlots } from '../../../../electron/core/ssh/connection/channelSlots';
import { backoffDelayMs } from '../../../../electron/core/ssh/connection/pool';

describe('session channel slots', () => {
  it('queue opens beyond the limit and hand slots out in order as channels close', async () => {
    const slots = new ChannelSlots(2);
    const first = await slots.acquire();
    await slots.acquire();
    const order: number[] = [];
    const third = slots.acquire().then((release) => (order.push(3), release));
    const fourth = slots.acquire().then((release) => (order.push(4), release));
    expect(slots.stats()).toEqual({ open: 2, queued: 2, limit: 2 });
    first();
    first();
    await third;
    expect(order).toEqual([3]);
    expect(slots.stats()).toEqual({ open: 2, queued: 1, limit: 2 });
    (await third)();
    await fourth;
    expect(order).toEqual([3, 4]);
  });

  it('a refusal lowers the limit to what is open; one with nothing open is a real failure', async () => {
    let now = 0;
    const slots = new ChannelSlots(10, 1_000, () => now);
    const alone = await slots.acquire();
    expect(slots.refused()).toBe(false);
    alone();
    const releases = await Promise.all([slots.acquire(), slots.acquire(), slots.acquire(), slots.acquire()]);
    // the fourth open was refused while three others were open
    expect(slots.refused()).toBe(true);
    releases[3]!();
    expect(slots.stats().limit).toBe(3);
    const waiting = slots.acquire();
    expect(slots.stats().queued).toBe(1);
    releases[0]!(5);
    expect(slots.stats().queued).toBe(1);
    await waiting;
    now = 5_000;
    slots.opened();
    expect(slots.stats().limit).toBe(4);
  });

  it('fail every waiter when the connection ends', async () => {
    const slots = new ChannelSlots(1);
    await slots.acquire();
    const waiting = slots.acquire();
    slots.fail(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    await expect(slots.acquire()).rejects.toThrow('gone');
  });
});

describe('reconnect backoff', () => {
  it('grows exponentially up to the cap, with full jitter', () => {
    const reconnect = { attempts: 5, baseDelayMs: 500, maxDelayMs: 8_000 };
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, reconnect, () => 0.999999))).toEqual([499, 999, 1999, 3999, 7999, 7999]);
    expect(backoffDelayMs(3, reconnect, () => 0)).toBe(0);
  });
});
