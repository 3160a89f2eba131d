import { AppError } from '../../../../shared/errors';
import type { HostEndpoint } from './types';

/** What ssh2 and net attach to their errors; read defensively, they are untyped. */
export function ssh2ErrorFacts(error: unknown): { message: string; level?: string; code?: string | number } {
  if (!(error instanceof Error)) return { message: String(error) };
  const record = error as Error & { level?: unknown; code?: unknown };
  return {
    message: error.message,
    ...(typeof record.level === 'string' ? { level: record.level } : {}),
    ...(typeof record.code === 'string' || typeof record.code === 'number' ? { code: record.code } : {}),
  };
}

function where(host: HostEndpoint): string {
  return `${host.name} (${host.address}:${host.port}${host.jump === undefined ? '' : ` via ${host.jump.name}`})`;
}

const NETWORK_HINTS: Record<string, string> = {
  ECONNREFUSED: 'nothing is listening on that port (is sshd running, is the port right?)',
  EHOSTUNREACH: 'the host is unreachable from here (check the network, VPN or jump host)',
  ENETUNREACH: 'the network is unreachable from here (check the cable, Wi-Fi or VPN)',
  ENOTFOUND: 'the name does not resolve (check the address)',
  EAI_AGAIN: 'the name could not be resolved right now (check DNS)',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was broken',
  ETIMEDOUT: 'the connection timed out',
};

export function connectFailed(host: HostEndpoint, reason: string, cause?: string): AppError {
  const hint = NETWORK_HINTS[reason] ?? reason;
  return new AppError('SSH_CONNECT_FAILED', `Cannot connect to ${where(host)}: ${hint}. Check that the host is up and reachable, then connect again.`, {
    host: host.name,
    address: host.address,
    port: host.port,
    reason,
    ...(cause === undefined ? {} : { cause }),
  });
}

export function connectTimeout(host: HostEndpoint, phase: 'tcp' | 'tunnel' | 'handshake', timeoutMs: number): AppError {
  const what = phase === 'handshake' ? 'the SSH handshake and login did not finish' : phase === 'tunnel' ? 'the jump host did not open a tunnel' : 'the TCP connection was not established';
  return new AppError('SSH_CONNECT_TIMEOUT', `Connecting to ${where(host)} timed out: ${what} within ${Math.round(timeoutMs / 1000)} s. Check the network and that the host is up, then connect again.`, {
    host: host.name,
    address: host.address,
    port: host.port,
    phase,
    timeoutMs,
  });
}

export function disconnected(host: HostEndpoint, cause?: string): AppError {
  return new AppError('SSH_DISCONNECTED', `The connection to ${where(host)} was closed${cause === undefined ? '' : ` (${cause})`}. Connect again; a command that was running has an unknown outcome until it is reattached.`, {
    host: host.name,
    address: host.address,
    port: host.port,
    ...(cause === undefined ? {} : { cause }),
  });
}

export function keepaliveTimeout(host: HostEndpoint, intervalMs: number, countMax: number): AppError {
  const seconds = Math.round((intervalMs * (countMax + 1)) / 1000);
  return new AppError('SSH_KEEPALIVE_TIMEOUT', `The link to ${where(host)} is dead: the server did not answer keepalives for ${seconds} s. Check the network; reconnecting reattaches running commands.`, {
    host: host.name,
    address: host.address,
    port: host.port,
    keepaliveIntervalMs: intervalMs,
    keepaliveCountMax: countMax,
  });
}

/** Translates an ssh2 or socket error. `established` tells whether login had completed. */
export function translateSsh2Error(host: HostEndpoint, error: unknown, established: boolean, keepalive: { intervalMs: number; countMax: number }): AppError {
  const facts = ssh2ErrorFacts(error);
  if (facts.level === 'client-timeout' && /keepalive/i.test(facts.message)) return keepaliveTimeout(host, keepalive.intervalMs, keepalive.countMax);
  if (facts.level === 'client-socket') {
    const reason = typeof facts.code === 'string' ? facts.code : 'socket-error';
    return established ? disconnected(host, reason) : connectFailed(host, reason, facts.message);
  }
  if (facts.level === 'handshake' || facts.level === 'protocol') {
    return established
      ? disconnected(host, facts.message)
      : new AppError('SSH_CONNECT_FAILED', `The SSH handshake with ${where(host)} failed: ${facts.message}. The server and Fieldrun share no usable algorithm or the link broke; check the server's SSH settings.`, {
          host: host.name,
          address: host.address,
          port: host.port,
          reason: 'handshake',
          cause: facts.message,
        });
  }
  return established ? disconnected(host, facts.message) : connectFailed(host, 'ssh-error', facts.message);
}
