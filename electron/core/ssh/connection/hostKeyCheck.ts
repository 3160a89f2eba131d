import { AppError, isAppError } from '../../../../shared/errors';
import { hostKeyAlgorithmsFor, keyTypesOf, normalizeFingerprint, sameFingerprint } from './hostKeyFormat';
import type { HostEndpoint, HostKeyPolicy, HostKeyVerdict, PresentedHostKey } from './types';

type ExpectedKey = { type: string; fingerprint: string };

/** The keys a host must present: the plan's pins, else keys confirmed earlier. */
export function expectedKeysOf(host: HostEndpoint, policy: HostKeyPolicy): { source: 'plan' | 'known'; keys: ExpectedKey[] } {
  if (host.pinnedKeys.length > 0) return { source: 'plan', keys: host.pinnedKeys };
  return { source: 'known', keys: policy.known(host) };
}

/**
 * Host key algorithms to offer: only the expected key types, so a server cannot steer the
 * handshake to a key we never confirmed. No restriction when nothing is expected yet, or when an
 * override names a new key (its type may be one the pins do not cover).
 */
export function negotiableHostKeyAlgorithms(host: HostEndpoint, policy: HostKeyPolicy): string[] | undefined {
  if (policy.override?.(host) !== undefined) return undefined;
  const { keys } = expectedKeysOf(host, policy);
  if (keys.length === 0) return undefined;
  return hostKeyAlgorithmsFor(keys.flatMap((key) => keyTypesOf(key.type)));
}

function matches(expected: ExpectedKey, presented: PresentedHostKey): boolean {
  return sameFingerprint(expected.fingerprint, presented.fingerprint) && keyTypesOf(expected.type).includes(presented.type);
}

function describe(keys: ExpectedKey[]): string {
  return keys.map((key) => `${normalizeFingerprint(key.fingerprint)} (${key.type})`).join(', ');
}

export function hostKeyMismatch(
  host: HostEndpoint,
  expected: { source: 'plan' | 'known'; keys: ExpectedKey[] },
  presented: PresentedHostKey | undefined,
  overrideFingerprint?: string,
): AppError {
  const where = `${host.name} (${host.address}:${host.port})`;
  const from = expected.source === 'plan' ? 'pinned by the plan' : 'confirmed earlier';
  const shown =
    presented === undefined
      ? `the server offers none of those key types`
      : `the server presented ${presented.fingerprint} (${presented.type})`;
  const overrideNote =
    overrideFingerprint === undefined
      ? ''
      : ` The override fingerprint typed in (${normalizeFingerprint(overrideFingerprint)}) does not match the presented key either.`;
  return new AppError(
    'SSH_HOST_KEY_MISMATCH',
    `The host key of ${where} does not match: expected ${describe(expected.keys)}, ${from}, but ${shown}. ` +
      `No credentials were sent.${overrideNote} The server may have been reinstalled, or someone may be intercepting the connection. ` +
      `Ask the client's administrator for the server's current fingerprint; overriding needs that new fingerprint typed in and a reason.`,
    {
      host: host.name,
      address: host.address,
      port: host.port,
      source: expected.source,
      expected: expected.keys.map((key) => ({ type: key.type, fingerprint: normalizeFingerprint(key.fingerprint) })),
      presented: presented === undefined ? null : { type: presented.type, fingerprint: presented.fingerprint },
      ...(overrideFingerprint === undefined ? {} : { overrideFingerprint: normalizeFingerprint(overrideFingerprint) }),
    },
  );
}

/**
 * Decides whether the presented key may be trusted. Runs inside ssh2's hostVerifier, i.e. before
 * authentication: whatever this refuses, no credential is ever sent.
 */
export async function checkHostKey(host: HostEndpoint, presented: PresentedHostKey, policy: HostKeyPolicy): Promise<HostKeyVerdict> {
  const expected = expectedKeysOf(host, policy);
  if (expected.keys.some((key) => matches(key, presented))) return { kind: expected.source === 'plan' ? 'pinned' : 'known' };

  if (expected.keys.length > 0) {
    const override = policy.override?.(host);
    if (override !== undefined && sameFingerprint(override.newFingerprint, presented.fingerprint) && override.reason.trim() !== '') {
      return { kind: 'overridden', reason: override.reason, expected: expected.keys.map((key) => normalizeFingerprint(key.fingerprint)) };
    }
    throw hostKeyMismatch(host, expected, presented, override?.newFingerprint);
  }

  let decision;
  try {
    decision = await policy.decideUnknown(host, presented);
  } catch (error) {
    if (isAppError(error)) throw error;
    throw unknownKey(host, presented);
  }
  switch (decision) {
    case 'accept-once':
      return { kind: 'accepted-once' };
    case 'accept-and-remember':
      await policy.remember?.(host, presented);
      return { kind: 'accepted-and-remembered' };
    default:
      throw new AppError(
        'SSH_HOST_KEY_REJECTED',
        `The host key ${presented.fingerprint} (${presented.type}) of ${host.name} was refused, so nothing was sent to it. Compare the fingerprint with the one the client's administrator gives and connect again to accept it.`,
        { host: host.name, address: host.address, port: host.port, presented: { type: presented.type, fingerprint: presented.fingerprint } },
      );
  }
}

export function unknownKey(host: HostEndpoint, presented: PresentedHostKey): AppError {
  return new AppError(
    'SSH_HOST_KEY_UNKNOWN',
    `The host key ${presented.fingerprint} (${presented.type}) of ${host.name} is not known yet and was not confirmed; nothing was sent to the server. Confirm the fingerprint with the client's administrator, then accept it.`,
    { host: host.name, address: host.address, port: host.port, presented: { type: presented.type, fingerprint: presented.fingerprint, publicKey: presented.publicKey } },
  );
}
