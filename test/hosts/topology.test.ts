// Addressing rules of the lab, and a jump chain of three hops end to end.
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_LAB, startTestLab, type TestLab } from './index';
import { runSsh } from './runSsh';
import { normalizeSpecs, planLab } from './topology';

describe('lab addressing', () => {
  it('puts the example topology on the example plan addresses in slot 0', () => {
    const plan = planLab('abc123', 0, normalizeSpecs(EXAMPLE_LAB));
    expect(plan.hosts.map((h) => [h.spec.name, h.address])).toEqual([
      ['jump1', '198.18.0.10'],
      ['web1', '198.18.1.11'],
      ['web2', '198.18.1.12'],
      ['app1', '198.18.1.21'],
      ['db1', '198.18.1.31'],
    ]);
    expect(plan.hosts[0]!.interfaces.map((i) => [i.ifname, i.address])).toEqual([
      ['eth0', '198.18.0.10'],
      ['eth1', '198.18.1.1'],
    ]);
    const direct = plan.bridges[0]!;
    expect([direct.name, direct.rootAddress, direct.netns]).toEqual(['frbr0', '198.18.0.1', undefined]);
    // The inner network has no root presence: its bridge lives in the lab's switch namespace.
    expect(plan.bridges[1]).toMatchObject({ subnet: '198.18.1.0/24', netns: plan.switchNetns });
    expect(plan.bridges[1]!.rootAddress).toBeUndefined();
  });

  it('gives private slots their own direct subnet but the same inner addresses', () => {
    const plan = planLab('abc123', 7, normalizeSpecs(['web1', 'x', { name: 'y', behind: 'web1' }]));
    expect(plan.hosts.map((h) => h.address)).toEqual(['198.19.7.11', '198.19.7.100', '198.18.1.100']);
    expect(plan.bridges[0]!.name).toBe('frbr7');
  });

  it('chains jump hosts through one network per hop, jump hosts first', () => {
    const plan = planLab('abc123', 3, normalizeSpecs([{ name: 'app2', behind: 'jump3' }, { name: 'jump3', behind: 'jump2' }, { name: 'jump2', behind: 'jump1' }, 'jump1']));
    expect(plan.hosts.map((h) => [h.spec.name, h.address])).toEqual([
      ['jump1', '198.19.3.10'],
      ['jump2', '198.18.1.2'],
      ['jump3', '198.18.2.3'],
      ['app2', '198.18.3.22'],
    ]);
    for (const h of plan.hosts) expect(h.interfaces.every((i) => i.peer.length <= 15)).toBe(true);
  });

  it('refuses malformed topologies', () => {
    expect(() => normalizeSpecs([])).toThrow(/at least one host/);
    expect(() => normalizeSpecs(['a', 'a'])).toThrow(/listed twice/);
    expect(() => normalizeSpecs([{ name: 'a', behind: 'b' }])).toThrow(/not in the lab/);
    expect(() => normalizeSpecs([{ name: 'a', behind: 'b' }, { name: 'b', behind: 'a' }])).toThrow(/cycle/);
    expect(() => normalizeSpecs(['Bad Name'])).toThrow(/must match/);
  });
});

describe('a three-hop jump chain', () => {
  let lab: TestLab | undefined;
  afterAll(async () => {
    await lab?.stop();
  });

  it('reaches the target only through jump1, jump2 and jump3', async () => {
    lab = await startTestLab({
      hosts: ['jump1', { name: 'jump2', behind: 'jump1' }, { name: 'jump3', behind: 'jump2' }, { name: 'app2', behind: 'jump3', hostKeyTypes: ['rsa'] }],
    });
    const r = await runSsh(lab, 'app2', 'hostname; ip -4 -o addr show | grep -c eth');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('app2\n1\n');
    expect(lab.host('app2').hostKeys.map((k) => k.type)).toEqual(['ssh-rsa']);
    expect(lab.host('app2').sshdLog()).toContain(`Connection from ${lab.host('app2').address.replace(/\.\d+$/, '.1')} `);
    // jump2 cannot reach app2 by itself: it has no interface on jump3's inner network.
    const jump2 = await runSsh(lab, 'jump2', `ip -4 -o addr show | grep -c eth; ip route get ${lab.host('app2').address} 2>&1 || true`);
    expect(jump2.stdout).toMatch(/^2\n.*unreachable/s);
  });
});
