import { canonicalJson } from '../../../../shared/canonicalJson';
import { AppError, type AppErrorData, type ErrorCode } from '../../../../shared/errors';
import { runsThrough } from './connect';
import { connectHop } from './connectHop';
import { jumpChainOf } from './jumpChain';
import type { LiveConnection } from './liveConnection';
import type { ConnectOptions, ConnectionPool, ConnectionState, HostEndpoint, ReconnectOptions, SshConnection } from './types';

const DEFAULT_RECONNECT: ReconnectOptions = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8_000 };

/** Errors that a later attempt may not meet: the network, not the host's identity or our credentials. */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['SSH_CONNECT_FAILED', 'SSH_CONNECT_TIMEOUT', 'SSH_DISCONNECTED', 'SSH_KEEPALIVE_TIMEOUT']);

/** Exponential backoff with full jitter, so many hosts coming back do not reconnect in lockstep. */
export function backoffDelayMs(attempt: number, reconnect: ReconnectOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(reconnect.maxDelayMs, reconnect.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

function endpointKey(host: HostEndpoint): string {
  return canonicalJson(
    jumpChainOf(host).map((hop) => ({ name: hop.name, address: hop.address, port: hop.port, user: hop.user, pins: hop.pinnedKeys, credential: hop.credential ?? null })),
  );
}

interface Entry {
  key: string;
  connection?: LiveConnection | undefined;
  pending?: Promise<LiveConnection> | undefined;
  dropped: boolean;
}

type StateListener = (hostName: string, state: ConnectionState, error?: AppErrorData) => void;

/**
 * One connection per host name, shared by every command for that host; jump hosts are pool
 * members too, so forty targets behind one jump host share one connection to it.
 */
export function createConnectionPool(options: ConnectOptions): ConnectionPool {
  const reconnect = options.reconnect ?? DEFAULT_RECONNECT;
  const entries = new Map<string, Entry>();
  const listeners = new Set<StateListener>();
  let shutDown = false;

  const emit = (hostName: string, state: ConnectionState, error?: AppErrorData): void => {
    for (const listener of listeners) {
      try {
        if (error === undefined) listener(hostName, state);
        else listener(hostName, state, error);
      } catch {
        // A listener's failure must not break the connection's bookkeeping.
      }
    }
  };

  const watch = (host: HostEndpoint, entry: Entry, connection: LiveConnection): void => {
    void connection.closed.then((result) => {
      if (entry.connection !== connection) return;
      entry.connection = undefined;
      if (entry.dropped || shutDown || result.error === undefined) emit(host.name, 'closed');
      else emit(host.name, 'lost', result.error);
    });
  };

  const establish = async (host: HostEndpoint, entry: Entry): Promise<LiveConnection> => {
    for (let attempt = 0; ; attempt++) {
      if (shutDown || entry.dropped) throw new AppError('SSH_DISCONNECTED', `The connection to ${host.name} was closed by Fieldrun before it was established.`, { host: host.name });
      emit(host.name, 'connecting');
      // A jump host's failure is already retried by its own entry: pass it on as is.
      const via = host.jump === undefined ? undefined : await getLive(host.jump);
      try {
        const connection = await connectHop(host, options, via);
        if (via !== undefined) runsThrough(connection, via);
        if (shutDown || entry.dropped) {
          connection.close();
          throw new AppError('SSH_DISCONNECTED', `The connection to ${host.name} was closed by Fieldrun.`, { host: host.name });
        }
        entry.connection = connection;
        watch(host, entry, connection);
        emit(host.name, 'connected');
        return connection;
      } catch (error) {
        const data = error instanceof AppError ? error : new AppError('INTERNAL', `Connecting to ${host.name} failed unexpectedly.`, { host: host.name });
        const retry = TRANSIENT.has(data.code) && attempt + 1 < reconnect.attempts && !shutDown && !entry.dropped;
        emit(host.name, 'lost', data.toData());
        if (!retry) throw data;
        const delay = backoffDelayMs(attempt, reconnect);
        options.log?.(`${host.name}: ${data.code}; trying again in ${delay} ms (attempt ${attempt + 2} of ${reconnect.attempts})`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };

  const getLive = (host: HostEndpoint): Promise<LiveConnection> => {
    if (shutDown) return Promise.reject(new AppError('SSH_DISCONNECTED', 'The connection pool is closed.', { host: host.name }));
    const key = endpointKey(host);
    let entry = entries.get(host.name);
    if (entry !== undefined && entry.key !== key) {
      // The plan changed this host (address, user, pins, jump): the old connection is not it.
      drop(host.name);
      entry = undefined;
    }
    if (entry === undefined) {
      entry = { key, dropped: false };
      entries.set(host.name, entry);
    }
    if (entry.connection?.isOpen === true) return Promise.resolve(entry.connection);
    if (entry.pending !== undefined) return entry.pending;
    const current = entry;
    const pending = establish(host, current).finally(() => {
      if (current.pending === pending) current.pending = undefined;
    });
    current.pending = pending;
    return pending;
  };

  const drop = (hostName: string): void => {
    const entry = entries.get(hostName);
    if (entry === undefined) return;
    entry.dropped = true;
    entries.delete(hostName);
    entry.connection?.close();
    entry.pending?.then((connection) => connection.close(), () => undefined);
  };

  return {
    get: (host): Promise<SshConnection> => getLive(host),
    drop,
    async closeAll() {
      shutDown = true;
      const waits: Array<Promise<unknown>> = [];
      for (const [name, entry] of entries) {
        drop(name);
        if (entry.connection !== undefined) waits.push(entry.connection.closed);
        if (entry.pending !== undefined) waits.push(entry.pending.then((c) => c.closed, () => undefined));
      }
      await Promise.all(waits);
    },
    on(_event, listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
