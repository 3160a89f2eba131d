import type { Duplex } from 'node:stream';
import { Client, type ServerHostKeyAlgorithm } from 'ssh2';
import { AppError } from '../../../../shared/errors';
import { createAuthSequence, type AuthSequence } from './authSequence';
import { credentialsFor, prepareCredentials, type UnusableCredential } from './credentials';
import { checkHostKey, expectedKeysOf, hostKeyMismatch, negotiableHostKeyAlgorithms } from './hostKeyCheck';
import { presentedKeyOf } from './hostKeyFormat';
import { LiveConnection } from './liveConnection';
import { connectTimeout, ssh2ErrorFacts, translateSsh2Error } from './ssh2Errors';
import { tcpConnect } from './tcpConnect';
import type { ConnectOptions, HostEndpoint, HostKeyVerdict, PresentedHostKey } from './types';

export const DEFAULTS = {
  keepaliveIntervalMs: 5_000,
  keepaliveCountMax: 2,
  connectTimeoutMs: 10_000,
  handshakeTimeoutMs: 20_000,
  maxChannelsPerConnection: 10,
} as const;

export function settingsOf(options: ConnectOptions) {
  return {
    keepaliveIntervalMs: options.keepaliveIntervalMs ?? DEFAULTS.keepaliveIntervalMs,
    keepaliveCountMax: options.keepaliveCountMax ?? DEFAULTS.keepaliveCountMax,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? DEFAULTS.handshakeTimeoutMs,
    maxChannels: options.maxChannelsPerConnection ?? DEFAULTS.maxChannelsPerConnection,
    log: options.log ?? (() => undefined),
  };
}

/** A timer that can stand still while a human decides (a host key question may take minutes). */
function pausableTimer(ms: number, onExpire: () => void) {
  let remaining = ms;
  let startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined = setTimeout(onExpire, remaining);
  return {
    pause() {
      if (timer === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      remaining -= Date.now() - startedAt;
    },
    resume() {
      if (timer !== undefined) return;
      startedAt = Date.now();
      timer = setTimeout(onExpire, Math.max(0, remaining));
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

function authFailed(host: HostEndpoint, auth: AuthSequence, unusable: UnusableCredential[], cause?: string): AppError {
  // A key that could not even be tried for want of its passphrase is the thing to fix: say so.
  const needsPassphrase = unusable.find((u) => u.error.code === 'SSH_PASSPHRASE_REQUIRED');
  const details = {
    host: host.name,
    user: host.user,
    tried: [...auth.tried],
    skipped: [...auth.skipped],
    unusable: unusable.map((u) => ({ credential: u.label, code: u.error.code })),
    serverMethods: auth.serverMethods() ?? [],
    ...(cause === undefined ? {} : { cause }),
  };
  if (needsPassphrase !== undefined) return new AppError('SSH_PASSPHRASE_REQUIRED', needsPassphrase.error.message, { ...needsPassphrase.error.details, ...details });
  const tried = auth.tried.length === 0 ? 'no credential the server accepts' : auth.tried.join(', ');
  return new AppError(
    'SSH_AUTH_FAILED',
    `Login to ${host.name} as ${host.user} failed (tried: ${tried}; the server accepts: ${(auth.serverMethods() ?? ['unknown']).join(', ')}). Check the user name and the credential profile for this host.`,
    details,
  );
}

/**
 * Opens one SSH connection to `host`, directly or through `via` (the previous hop). The host key
 * is checked before authentication: a refusal ends the handshake and no credential is sent.
 */
export async function connectHop(host: HostEndpoint, options: ConnectOptions, via?: LiveConnection): Promise<LiveConnection> {
  const settings = settingsOf(options);
  const { log } = settings;
  const { usable, unusable } = await prepareCredentials(credentialsFor(host, options.credentials));
  if (usable.length === 0) {
    if (unusable[0] !== undefined) throw unusable[0].error;
    throw new AppError('SSH_AUTH_FAILED', `No credential applies to ${host.name}. Add a credential profile for this host (by name, tag or for all hosts).`, { host: host.name, tried: [] });
  }

  log(`${host.name}: connecting to ${host.address}:${host.port}${via === undefined ? '' : ` through ${via.host.name}`}`);
  const sock: Duplex = via === undefined ? await tcpConnect(host, settings.connectTimeoutMs) : await via.forwardOut(host.address, host.port);

  const auth = createAuthSequence(host.user, usable);
  const serverHostKey = negotiableHostKeyAlgorithms(host, options.hostKeys);
  const client = new Client();
  const keepalive = { intervalMs: settings.keepaliveIntervalMs, countMax: settings.keepaliveCountMax };

  return new Promise<LiveConnection>((resolve, reject) => {
    let settled = false;
    let presented: PresentedHostKey | undefined;
    let firstKeyBlob: Buffer | undefined;
    let verdict: HostKeyVerdict | undefined;
    let hostKeyError: AppError | undefined;
    let deciding = false;

    const timer = pausableTimer(settings.handshakeTimeoutMs, () => fail(connectTimeout(host, 'handshake', settings.handshakeTimeoutMs)));
    const fail = (error: AppError): void => {
      if (settled) return;
      settled = true;
      timer.stop();
      client.removeListener('close', onCloseBeforeReady);
      client.on('error', () => undefined);
      client.destroy();
      sock.destroy();
      log(`${host.name}: not connected (${error.code})`);
      reject(error);
    };
    const onCloseBeforeReady = (): void => {
      if (hostKeyError !== undefined) return fail(hostKeyError);
      if (deciding) {
        // sshd drops a login that waits too long (LoginGraceTime, 2 min by default).
        return fail(
          new AppError('SSH_DISCONNECTED', `${host.name} closed the connection while its host key was waiting for a decision. Connect again; a key accepted and remembered is not asked again.`, {
            host: host.name,
            address: host.address,
            port: host.port,
            reason: 'closed-while-deciding',
          }),
        );
      }
      if (auth.tried.length > 0) return fail(authFailed(host, auth, unusable, 'the server closed the connection during login'));
      fail(translateSsh2Error(host, Object.assign(new Error('the server closed the connection during the handshake'), { level: 'protocol' }), false, keepalive));
    };
    const onErrorBeforeReady = (error: unknown): void => {
      const facts = ssh2ErrorFacts(error);
      // ssh2 reports an unreachable agent or a key that cannot sign, then moves on to the next credential.
      if (facts.level === 'agent' || (facts.level === 'client-authentication' && /signing|sign data/i.test(facts.message))) {
        log(`${host.name}: ${auth.current() ?? 'credential'} unusable (${facts.message})`);
        return;
      }
      if (hostKeyError !== undefined) return fail(hostKeyError);
      if (facts.level === 'client-authentication') return fail(authFailed(host, auth, unusable));
      if (facts.level === 'handshake' && /host key format/i.test(facts.message)) {
        return fail(hostKeyMismatch(host, expectedKeysOf(host, options.hostKeys), undefined));
      }
      fail(translateSsh2Error(host, error, false, keepalive));
    };

    client.on('error', onErrorBeforeReady);
    client.on('close', onCloseBeforeReady);
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      timer.stop();
      client.removeListener('error', onErrorBeforeReady);
      client.removeListener('close', onCloseBeforeReady);
      const connection = new LiveConnection({
        host,
        client,
        presentedKey: presented!,
        hostKeyVerdict: verdict!,
        authenticatedWith: auth.current() ?? 'none',
        maxChannels: settings.maxChannels,
        connectTimeoutMs: settings.connectTimeoutMs,
        translate: (error) => translateSsh2Error(host, error, true, keepalive),
        log,
      });
      log(`${host.name}: logged in as ${host.user} with ${auth.current() ?? 'none'}`);
      resolve(connection);
    });

    const hostVerifier = (keyBlob: Buffer, verify: (accepted: boolean) => void): void => {
      // Re-keying presents the key again: it must be the very key accepted at first.
      if (firstKeyBlob !== undefined) return verify(firstKeyBlob.equals(keyBlob));
      firstKeyBlob = Buffer.from(keyBlob);
      presented = presentedKeyOf(keyBlob);
      timer.pause();
      deciding = true;
      checkHostKey(host, presented, options.hostKeys).then(
        (accepted) => {
          deciding = false;
          verdict = accepted;
          log(`${host.name}: host key ${presented!.fingerprint} (${presented!.type}) ${accepted.kind}`);
          timer.resume();
          verify(!settled);
        },
        (error: unknown) => {
          deciding = false;
          hostKeyError = error instanceof AppError ? error : new AppError('SSH_HOST_KEY_REJECTED', `The host key of ${host.name} could not be checked.`, { host: host.name });
          log(`${host.name}: host key ${presented!.fingerprint} (${presented!.type}) refused (${hostKeyError.code})`);
          verify(false);
          fail(hostKeyError);
        },
      );
    };

    client.connect({
      sock,
      username: host.user,
      hostVerifier,
      authHandler: auth.handler,
      readyTimeout: 0,
      keepaliveInterval: settings.keepaliveIntervalMs,
      keepaliveCountMax: settings.keepaliveCountMax,
      ...(serverHostKey === undefined ? {} : { algorithms: { serverHostKey: serverHostKey as ServerHostKeyAlgorithm[] } }),
    });
  });
}
