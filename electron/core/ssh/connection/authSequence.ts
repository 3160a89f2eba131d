import type { AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, NextAuthHandler } from 'ssh2';
import type { UsableCredential } from './credentials';

type Prompt = { prompt: string; echo?: boolean };

/** The ssh2 method a credential is offered as, given what the server still accepts. */
function methodFor(credential: UsableCredential, allowed: readonly AuthenticationType[]): AuthenticationType | undefined {
  switch (credential.kind) {
    case 'privateKey':
    case 'agent':
      return allowed.includes('publickey') ? (credential.kind === 'agent' ? 'agent' : 'publickey') : undefined;
    case 'password':
      // PAM-only servers offer keyboard-interactive but not 'password': the password answers its prompt.
      if (allowed.includes('password')) return 'password';
      return allowed.includes('keyboard-interactive') ? 'keyboard-interactive' : undefined;
    case 'keyboardInteractive':
      return allowed.includes('keyboard-interactive') ? 'keyboard-interactive' : undefined;
  }
}

export interface AuthSequence {
  readonly handler: AuthHandlerMiddleware;
  /** Labels of the credentials offered, in order (never a secret). */
  readonly tried: string[];
  /** Credentials the server did not accept a method for. */
  readonly skipped: string[];
  /** The credential being tried now; after 'ready' it is the one that logged in. */
  current(): string | undefined;
  /** The methods the server said it accepts (after the first refusal). */
  serverMethods(): string[] | undefined;
}

/**
 * Walks the credentials in order, offering each with a method the server accepts. Starts with
 * 'none' (as OpenSSH does) to learn the server's methods before offering any secret.
 */
export function createAuthSequence(user: string, credentials: UsableCredential[]): AuthSequence {
  const tried: string[] = [];
  const skipped: string[] = [];
  let next = 0;
  let current: string | undefined;
  let methods: string[] | undefined;
  let askedNone = false;

  const handler = (authsLeft: AuthenticationType[] | null, _partial: boolean | null, done: NextAuthHandler): void => {
    if (!askedNone) {
      askedNone = true;
      done({ type: 'none', username: user });
      return;
    }
    const allowed = authsLeft ?? [];
    methods = [...allowed];
    while (next < credentials.length) {
      const credential = credentials[next++]!;
      const method = methodFor(credential, allowed);
      if (method === undefined) {
        skipped.push(credential.label);
        continue;
      }
      current = credential.label;
      tried.push(method === 'keyboard-interactive' && credential.kind === 'password' ? 'password (keyboard-interactive)' : credential.label);
      done(authMethodFor(user, credential, method));
      return;
    }
    current = undefined;
    done(false as unknown as AnyAuthMethod);
  };

  return {
    handler: handler as unknown as AuthHandlerMiddleware,
    tried,
    skipped,
    current: () => current,
    serverMethods: () => methods,
  };
}

function authMethodFor(user: string, credential: UsableCredential, method: AuthenticationType): AnyAuthMethod {
  switch (credential.kind) {
    case 'privateKey':
      return { type: 'publickey', username: user, key: credential.key };
    case 'agent':
      return { type: 'agent', username: user, agent: credential.socketPath };
    case 'password':
      if (method === 'password') return { type: 'password', username: user, password: credential.password };
      return {
        type: 'keyboard-interactive',
        username: user,
        prompt: (_name, _instructions, _lang, prompts: Prompt[], finish) => {
          finish(prompts.map((p) => (p.echo === true ? user : credential.password)));
        },
      };
    case 'keyboardInteractive':
      return {
        type: 'keyboard-interactive',
        username: user,
        prompt: (_name, _instructions, _lang, prompts: Prompt[], finish) => {
          const asked = prompts.map((p) => ({ prompt: p.prompt, echo: p.echo === true }));
          Promise.resolve()
            .then(() => credential.answers(asked))
            .then(
              (answers) => finish(answers),
              () => finish(asked.map(() => '')),
            );
        },
      };
  }
}
