import type { TestHostSpec } from './types';

/** The example plan's topology: jump1 reachable directly; web1, web2, app1, db1 only through it. */
export const EXAMPLE_LAB: TestHostSpec[] = [
  { name: 'jump1' },
  { name: 'web1', behind: 'jump1' },
  { name: 'web2', behind: 'jump1' },
  { name: 'app1', behind: 'jump1' },
  { name: 'db1', behind: 'jump1' },
];

/**
 * Last address byte of the hosts the example plans name. jump1's first inner network is
 * 198.18.1.0/24, so web1 is 198.18.1.11 there, as resources/plans/ expect; the direct network
 * is 198.18.0.0/24 (jump1 = 198.18.0.10) when the lab asks for the example addresses.
 */
export const FIXED_HOST_BYTES: Readonly<Record<string, number>> = {
  jump1: 10,
  jump2: 2,
  jump3: 3,
  web1: 11,
  web2: 12,
  app1: 21,
  app2: 22,
  db1: 31,
};

/** Hosts whose host keys are the fixed test-only keys in test/hosts/keys/ (the plans pin them). */
export const FIXED_KEY_HOSTS: readonly string[] = ['jump1', 'jump2', 'jump3', 'web1', 'web2', 'app1', 'app2', 'db1'];
