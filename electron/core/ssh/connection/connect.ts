import { connectHop } from './connectHop';
import { jumpChainOf } from './jumpChain';
import type { LiveConnection } from './liveConnection';
import type { ConnectOptions, HostEndpoint, SshConnection } from './types';

/**
 * Ties a connection to the hop it runs through: when the hop ends, so does the connection, and
 * it reports the hop's reason (a dead jump host is why the target went away).
 */
export function runsThrough(connection: LiveConnection, via: LiveConnection): void {
  via.whenEnded(() => connection.endBecause(via.endedWith?.error));
}

/**
 * Connects to a host, through its jump hosts if any (each hop with its own host-key check and
 * credentials). The returned connection owns its jump hops: closing it closes them.
 */
export async function connect(host: HostEndpoint, options: ConnectOptions): Promise<SshConnection> {
  const chain = jumpChainOf(host);
  const hops: LiveConnection[] = [];
  try {
    for (const hop of chain) {
      const via = hops.at(-1);
      const connection = await connectHop(hop, options, via);
      if (via !== undefined) runsThrough(connection, via);
      hops.push(connection);
    }
  } catch (error) {
    for (const hop of hops.reverse()) hop.close();
    throw error;
  }
  const target = hops.at(-1)!;
  const jumps = hops.slice(0, -1).reverse();
  target.whenEnded(() => {
    for (const jump of jumps) jump.close();
  });
  return target;
}
