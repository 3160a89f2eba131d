import { AppError } from '../../../../shared/errors';
import { jumpChainOf } from './jumpChain';
import { matchPatternList } from './knownHosts';
import type { HostEndpoint, SshConfigHost } from './types';

export interface SshConfigContext {
  /** Expands '~' and '%d' in IdentityFile. */
  home?: string;
  /** Expands '%u'. */
  localUser?: string;
}

type Line = { keyword: string; args: string[] };

/** Splits a config line into keyword and arguments; 'Key=Value' and double-quoted arguments included. */
function tokenize(raw: string): Line | undefined {
  const line = raw.trim();
  if (line === '' || line.startsWith('#')) return undefined;
  const match = /^([A-Za-z][A-Za-z0-9]*)\s*(?:=\s*|\s+)(.*)$/.exec(line);
  if (match === null) return undefined;
  const args: string[] = [];
  const rest = match[2]!;
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(rest); m !== null; m = re.exec(rest)) {
    const word = m[1] ?? m[2]!;
    if (m[1] === undefined && word.startsWith('#')) break;
    args.push(word);
  }
  return { keyword: match[1]!.toLowerCase(), args };
}

function hostBlockApplies(patterns: string[], alias: string): boolean {
  return matchPatternList(patterns.join(','), alias.toLowerCase());
}

/** 'Match' criteria that can be judged offline; anything else (exec, user, localnetwork…) does not apply. */
function matchBlockApplies(args: string[], alias: string): boolean {
  if (args.length === 1 && args[0]!.toLowerCase() === 'all') return true;
  for (let i = 0; i < args.length; i += 2) {
    const criterion = args[i]!.toLowerCase();
    const value = args[i + 1];
    if ((criterion !== 'host' && criterion !== 'originalhost') || value === undefined) return false;
    if (!matchPatternList(value, alias.toLowerCase())) return false;
  }
  return args.length > 0;
}

function expand(value: string, tokens: Record<string, string | undefined>, home: string | undefined): string {
  let out = value.startsWith('~/') && home !== undefined ? `${home}${value.slice(1)}` : value;
  out = out.replace(/%(.)/g, (whole, letter: string) => (letter === '%' ? '%' : (tokens[letter] ?? whole)));
  return out;
}

/**
 * What ~/.ssh/config says about one host alias: HostName, User, Port, IdentityFile (all of them,
 * in order) and ProxyJump. As in OpenSSH the first value found wins. Include is not followed.
 */
export function parseSshConfig(text: string, host: string, context: SshConfigContext = {}): SshConfigHost {
  let applies = true;
  let hostName: string | undefined;
  let user: string | undefined;
  let port: number | undefined;
  let proxyJump: string[] | undefined;
  const identityFiles: string[] = [];

  for (const raw of text.split(/\r?\n/)) {
    const line = tokenize(raw);
    if (line === undefined) continue;
    const first = line.args[0];
    switch (line.keyword) {
      case 'host':
        applies = hostBlockApplies(line.args, host);
        break;
      case 'match':
        applies = matchBlockApplies(line.args, host);
        break;
      default:
        if (!applies || first === undefined) break;
        if (line.keyword === 'hostname') hostName ??= first;
        else if (line.keyword === 'user') user ??= first;
        else if (line.keyword === 'port') {
          const value = Number(first);
          if (port === undefined && Number.isInteger(value) && value > 0 && value < 65536) port = value;
        } else if (line.keyword === 'identityfile') {
          if (first.toLowerCase() !== 'none') identityFiles.push(first);
        } else if (line.keyword === 'proxyjump') {
          proxyJump ??= first.toLowerCase() === 'none' ? [] : first.split(',').filter((hop) => hop !== '');
        }
    }
  }

  const resolvedHost = hostName === undefined ? host : expand(hostName, { h: host }, undefined);
  const tokens = { h: resolvedHost, n: host, r: user, u: context.localUser, d: context.home, p: port === undefined ? undefined : String(port) };
  return {
    ...(hostName === undefined ? {} : { hostName: resolvedHost }),
    ...(user === undefined ? {} : { user }),
    ...(port === undefined ? {} : { port }),
    ...(identityFiles.length === 0 ? {} : { identityFile: identityFiles.map((file) => expand(file, tokens, context.home)) }),
    ...(proxyJump === undefined ? {} : { proxyJump }),
  };
}

/** '[user@]host[:port]' as ProxyJump writes a hop. */
function parseJumpSpec(spec: string): { user?: string; host: string; port?: number } {
  const at = spec.lastIndexOf('@');
  const user = at >= 0 ? spec.slice(0, at) : undefined;
  const rest = at >= 0 ? spec.slice(at + 1) : spec;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  const plain = /^([^:]+)(?::(\d+))?$/.exec(rest);
  const match = bracketed ?? plain;
  const hostPart = match?.[1] ?? rest;
  const portPart = match?.[2];
  return { ...(user === undefined ? {} : { user }), host: hostPart, ...(portPart === undefined ? {} : { port: Number(portPart) }) };
}

/**
 * Builds a HostEndpoint (jump chain included) for an alias from ~/.ssh/config, the way `ssh alias`
 * would resolve it. Host keys are not in the config: pins stay empty (known_hosts supplies them).
 */
export function hostEndpointFromSshConfig(
  text: string,
  alias: string,
  defaults: { user: string } & SshConfigContext,
): { host: HostEndpoint; identityFiles: string[] } {
  const identityFiles: string[] = [];
  // As `ssh -J a,b`: a is reached the way the config says, b through a, the target through b; a
  // later hop's own ProxyJump is overridden by the chain (OpenSSH runs it as `ssh -J a b`).
  const resolve = (spec: { user?: string; host: string; port?: number }, depth: number, ownJump: boolean): HostEndpoint => {
    if (depth > 16) {
      throw new AppError('SSH_JUMP_LOOP', `The ProxyJump settings for ${alias} in the SSH config form a loop. Fix the config.`, { host: alias });
    }
    const config = parseSshConfig(text, spec.host, defaults);
    for (const file of config.identityFile ?? []) if (!identityFiles.includes(file)) identityFiles.push(file);
    let jump: HostEndpoint | undefined;
    if (ownJump) {
      for (const hop of config.proxyJump ?? []) {
        const next = resolve(parseJumpSpec(hop), depth + 1, jump === undefined);
        jump = jump === undefined ? next : { ...next, jump };
      }
    }
    return {
      name: spec.host,
      address: config.hostName ?? spec.host,
      port: spec.port ?? config.port ?? 22,
      user: spec.user ?? config.user ?? defaults.user,
      pinnedKeys: [],
      tags: [],
      ...(jump === undefined ? {} : { jump }),
    };
  };
  const host = resolve({ host: alias }, 0, true);
  jumpChainOf(host);
  return { host, identityFiles };
}
