import { AppError } from '../../../../shared/errors';
import type { HostEndpoint } from './types';

const MAX_HOPS = 16;

/**
 * The hops from the outermost jump host to the target, target last. A host that appears twice
 * (by name or by address and port) would tunnel forever: refused before any connection.
 */
export function jumpChainOf(host: HostEndpoint): HostEndpoint[] {
  const chain: HostEndpoint[] = [];
  const seen = new Set<string>();
  for (let hop: HostEndpoint | undefined = host; hop !== undefined; hop = hop.jump) {
    const names = [`name:${hop.name}`, `endpoint:${hop.user}@${hop.address}:${hop.port}`];
    const repeated = names.find((key) => seen.has(key));
    if (repeated !== undefined || chain.length >= MAX_HOPS) {
      const path = [...chain, hop].map((h) => h.name).reverse().join(' → ');
      throw new AppError(
        'SSH_JUMP_LOOP',
        repeated !== undefined
          ? `The jump hosts of ${host.name} form a loop (${path}). Fix the hosts' jump settings so each chain ends at a directly reachable host.`
          : `The jump chain of ${host.name} is longer than ${MAX_HOPS} hops (${path}). Check the hosts' jump settings.`,
        { host: host.name, chain: [...chain, hop].map((h) => h.name).reverse() },
      );
    }
    for (const key of names) seen.add(key);
    chain.push(hop);
  }
  return chain.reverse();
}
