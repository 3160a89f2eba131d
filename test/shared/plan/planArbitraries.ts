import fc from 'fast-check';

// Generators of valid plans (as plain data, serialised to YAML by the test) and of the mistakes
// people and broken tools make to them. Valid by construction: unique ids, needs pointing back
// to earlier steps only (no cycles), selectors naming hosts and tags that exist, uploads of
// declared artifacts, variables declared before use and secrets without values.

// eslint-disable-next-line no-control-regex
const NON_PRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF\uD800-\uDFFF]/;

/** Printable single-line text, any script. */
const line = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
  .filter((text) => !NON_PRINTABLE.test(text) && !/[\r\n\u0085\u2028\u2029]/.test(text));
const prose = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((text) => !NON_PRINTABLE.test(text));
const tagName = fc.constantFrom('web', 'db', 'app', 'eu-west', 'edge');
const fingerprint = fc
  .tuple(fc.base64String({ minLength: 44, maxLength: 44 }), fc.constantFrom(...'AEIMQUYcgkosw048'))
  .map(([body, last]) => `SHA256:${body.replace(/=/g, 'A').slice(0, 42)}${last}`);
const duration = fc.constantFrom('90s', '5m', '1h30m', '500ms', '2d', '1m30s');
const remotePath = fc.stringMatching(/^\/[a-z0-9._-]{1,12}(\/[a-z0-9._-]{1,12}){0,3}$/);
const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const envName = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/);

const checkArbitrary =
  fc.oneof(
    fc.record({ type: fc.constant('command'), run: prose, expect: fc.option(fc.record({ exitCode: fc.integer({ min: 0, max: 255 }), stdout: fc.record({ contains: prose }) }), { nil: undefined }) }),
    fc.record({ type: fc.constant('file'), path: remotePath, kind: fc.constantFrom('file', 'directory', 'symlink'), mode: fc.constantFrom('0644', '0755', '600') }),
    fc.record({ type: fc.constant('port'), port: fc.integer({ min: 1, max: 65535 }), protocol: fc.constantFrom('tcp', 'udp') }),
    fc.record({ type: fc.constant('service'), name: fc.constantFrom('nginx', 'postgresql@15-main', 'ssh.service'), enabled: fc.boolean() }),
    fc.record({ type: fc.constant('package'), name: fc.constantFrom('nginx', 'libssl3', 'openssh-server'), version: fc.constantFrom('>= 1.2.3-1', '>= 12, < 14', '2.4.1', '!= 1:9.2p1-2') }),
    fc.record({ type: fc.constant('process'), pattern: fc.constantFrom('^nginx: master', 'java .*shop', 'sshd') }),
    fc.record({ type: fc.constant('http'), url: fc.constantFrom('http://127.0.0.1:8080/health', 'https://localhost/'), expectStatus: fc.integer({ min: 100, max: 599 }) }),
    fc.record({ type: fc.constant('disk-free'), path: remotePath, minFree: fc.constantFrom('20GiB', '512MiB', '1.5GB') }),
    fc.record({ type: fc.constant('memory'), minAvailable: fc.constantFrom('2GiB', '64MiB') }),
    fc.record({ type: fc.constant('os'), distribution: fc.constantFrom('debian', 'ubuntu', 'rhel'), version: fc.constantFrom('>= 12', '22.04') }),
  );

export const validPlanArbitrary = fc
  .record({
    hostCount: fc.integer({ min: 1, max: 5 }),
    stepCount: fc.integer({ min: 1, max: 6 }),
    variableCount: fc.integer({ min: 0, max: 3 }),
    artifactCount: fc.integer({ min: 0, max: 3 }),
  })
  .chain(({ hostCount, stepCount, variableCount, artifactCount }) => {
    const hostNames = Array.from({ length: hostCount }, (_, i) => `host-${i}`);
    const variableNames = Array.from({ length: variableCount }, (_, i) => `var_${i}`);
    const artifactIds = Array.from({ length: artifactCount }, (_, i) => `artifact-${i}`);
    const host = (i: number) =>
      fc.record({
        name: fc.constant(hostNames[i]!),
        address: fc.oneof(fc.ipV4(), fc.constantFrom('db1.example.net', 'web-1.internal', '2001:db8::10')),
        port: fc.integer({ min: 1, max: 65535 }),
        user: fc.constantFrom('fieldrun', 'deploy', 'root'),
        hostKeys: fc.array(fc.record({ type: fc.constantFrom('ssh-ed25519', 'ecdsa-sha2-nistp256', 'ssh-rsa'), fingerprint }), { maxLength: 2 }),
        tags: fc.uniqueArray(tagName, { maxLength: 3 }),
        // Only host-0 is reached directly here, so jump chains always end.
        ...(i > 0 ? { jump: fc.constantFrom(...hostNames.slice(0, i)) } : {}),
      });
    const selector = fc.uniqueArray(fc.constantFrom(...hostNames), { minLength: 1, maxLength: hostCount });
    const command = fc
      .tuple(prose, fc.subarray(variableNames), fc.boolean())
      .map(([text, refs, raw]) => [text, ...refs.map((name) => `{{ ${raw ? 'raw ' : ''}${name} }}`)].join(' '));
    const action = fc.oneof(
      command.map((run) => ({ run })),
      ...(artifactIds.length > 0 ? [fc.record({ upload: fc.record({ artifact: fc.constantFrom(...artifactIds), to: remotePath }) })] : []),
      prose.map((instructions) => ({ manual: { instructions } })),
    );
    const step = (i: number) =>
      fc
        .record({
          title: line,
          hosts: selector,
          action,
          needs: fc.subarray(Array.from({ length: i }, (_, k) => `step-${k}`)),
          timeout: fc.option(duration, { nil: undefined }),
          verify: fc.option(checkArbitrary, { nil: undefined }),
          rollback: fc.option(command.map((run) => ({ run })), { nil: undefined }),
          serial: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
          sudo: fc.boolean(),
          env: fc.dictionary(envName, prose, { maxKeys: 2 }),
        })
        .map(({ action: stepAction, ...rest }) => dropUndefined({ id: `step-${i}`, ...rest, ...stepAction }));
    return fc.record({
      apiVersion: fc.constant('fieldrun/v1'),
      kind: fc.constant('InstallationPlan'),
      metadata: fc.record({ id: fc.constantFrom('plan-a', 'shop-2'), version: fc.constantFrom('1.0.0', '2026.12-1'), title: line, client: line, site: line }),
      contacts: fc.constant([
        { id: 'ann', name: 'Ann', role: 'Ops', phone: '+33 1 00 00 00 01', key: true, backup: 'bob' },
        { id: 'bob', name: 'Bob', role: 'DBA', phone: '+33 1 00 00 00 02' },
      ]),
      outage: fc.record({
        timeZone: fc.constantFrom('Europe/Paris', 'UTC', 'America/New_York', 'Asia/Tokyo'),
        start: fc.constant('2026-12-05T21:00:00Z'),
        end: fc.constant('2026-12-06T03:00:00Z'),
        pointOfNoReturn: fc.constant('2026-12-06T01:00:00Z'),
      }),
      hosts: fc.tuple(...hostNames.map((_, i) => host(i))),
      variables: fc.constant(
        Object.fromEntries(variableNames.map((name, i) => [name, i % 2 === 0 ? { value: `value ${i}` } : { secret: true, prompt: `Secret ${i}` }])),
      ),
      artifacts: fc.tuple(...artifactIds.map((id) => fc.record({ id: fc.constant(id), path: fc.constant(`artifacts/${id}.bin`), sha256: hex64 }))),
      baseline: fc.array(
        fc.tuple(checkArbitrary, fc.option(selector, { nil: undefined })).map(([check, hosts]) => dropUndefined({ ...check, hosts })),
        { maxLength: 4 },
      ).map((checks) => checks.map((check, i) => ({ id: `check-${i}`, ...check }))),
      steps: fc.tuple(...Array.from({ length: stepCount }, (_, i) => step(i))),
      // Every declared variable is used, so a valid plan raises no warnings about them.
      _uses: fc.constant(variableNames),
    }).map(({ _uses, steps, ...plan }) => ({
      ...plan,
      steps: [...steps, { id: 'use-variables', title: 'Use every variable', hosts: [hostNames[0]!], run: ['true', ..._uses.map((n) => `{{ ${n} }}`)].join(' ') }],
    }));
  });

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A change to the plan's data: the kind of mistake an author or a tool makes. */
export type StructuralMutation =
  | { kind: 'delete'; pick: number }
  | { kind: 'replace'; pick: number; value: unknown }
  | { kind: 'rename'; pick: number; key: string }
  | { kind: 'duplicate'; pick: number }
  | { kind: 'insert'; pick: number; key: string; value: unknown };

const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e21, '', 'yes', '{{ nope }}', '../etc/passwd', 'SHA256:x', '2026-13-40T25:61:00+01:00', 'step-0', 'host-0', 'web'),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
);

export const structuralMutationArbitrary: fc.Arbitrary<StructuralMutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: junkValue }),
  fc.record({ kind: fc.constant('rename' as const), pick: fc.nat(), key: fc.constantFrom('tilte', 'need', 'host', 'type', 'id', '__proto__', 'Run') }),
  fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), pick: fc.nat(), key: fc.string({ minLength: 1, maxLength: 8 }), value: junkValue }),
);

/** Applies a mutation at the `pick`-th place of a copy of `data` (in depth-first order). */
export function mutate(data: unknown, mutation: StructuralMutation): unknown {
  const copy = structuredClone(data) as unknown;
  const places: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach((child: unknown, i) => (places.push({ parent: node, key: i }), walk(child)));
    else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        places.push({ parent: node as Record<string, unknown>, key });
        walk(child);
      }
    }
  };
  walk(copy);
  const place = places[mutation.pick % Math.max(places.length, 1)];
  if (!place) return copy;
  const { parent, key } = place;
  const list = Array.isArray(parent) ? parent : undefined;
  const record = Array.isArray(parent) ? undefined : parent;
  switch (mutation.kind) {
    case 'delete':
      if (list) list.splice(key as number, 1);
      else Reflect.deleteProperty(record!, key);
      break;
    case 'replace':
      if (list) list[key as number] = mutation.value;
      else record![key as string] = mutation.value;
      break;
    case 'rename':
      if (record) {
        const value = record[key as string];
        Reflect.deleteProperty(record, key);
        Object.defineProperty(record, mutation.key, { value, enumerable: true, writable: true, configurable: true });
      }
      break;
    case 'duplicate':
      if (list) list.splice(key as number, 0, structuredClone(list[key as number]));
      break;
    case 'insert':
      if (record) Object.defineProperty(record, mutation.key, { value: mutation.value, enumerable: true, writable: true, configurable: true });
      else list!.splice(key as number, 0, mutation.value);
      break;
  }
  return copy;
}

/** A change to the plan's text: what a bad editor, a truncated download or a wrong file does. */
export type TextMutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'repeatLine'; at: number; times: number }
  | { kind: 'indent'; at: number; by: number };

export const textMutationArbitrary: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom(':', '- ', '[', ']', '{', '}', '&a ', '*a', '!!binary ', '\t', '\n---\n', '"', "'", '#', '|', '>', '? ', '\u0000', '\ufeff', '\r\n', '<<: *a', '%YAML 1.1\n'),
      fc.string({ unit: 'binary', maxLength: 8 }),
    ),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('repeatLine' as const), at: fc.nat(), times: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
);

export function mutateText(text: string, mutation: TextMutation): string | Uint8Array {
  const at = text.length === 0 ? 0 : mutation.at % text.length;
  switch (mutation.kind) {
    case 'flip': {
      const bytes = new TextEncoder().encode(text);
      if (bytes.length > 0) bytes[mutation.at % bytes.length] = mutation.byte;
      return bytes;
    }
    case 'insert':
      return text.slice(0, at) + mutation.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + mutation.length);
    case 'truncate':
      return text.slice(0, at);
    case 'repeatLine': {
      const lines = text.split('\n');
      const i = mutation.at % lines.length;
      lines.splice(i, 0, ...Array.from({ length: mutation.times }, () => lines[i]!));
      return lines.join('\n');
    }
    case 'indent': {
      const lines = text.split('\n');
      const i = mutation.at % lines.length;
      lines[i] = mutation.by >= 0 ? ' '.repeat(mutation.by) + lines[i]! : lines[i]!.slice(-mutation.by);
      return lines.join('\n');
    }
  }
}
