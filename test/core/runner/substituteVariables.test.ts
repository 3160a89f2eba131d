import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors';
import { maskedPreview, shellQuote, substitutePlain, substituteVariables, type VariableValues } from '../../../electron/core/runner/substituteVariables';
import { connect, type SshConnection } from '../../../electron/core/ssh/connection';
import { startTestLab, type TestLab } from '../../hosts';
import { endpointOf, keyOptions } from '../ssh/connection/labEndpoints';

const plain = (value: string) => ({ value, secret: false });

describe('substituteVariables', () => {
  it('quotes {{ name }} for the shell and inserts {{ raw name }} as-is', () => {
    const values: VariableValues = { db: plain('shop'), flags: plain('-v --all'), port: plain('5432') };
    expect(substituteVariables('psql -d {{ db }} -p {{port}} {{ raw flags }}', values)).toEqual({ text: "psql -d 'shop' -p '5432' -v --all", secretsUsed: [] });
    expect(substituteVariables("x {{ db }}", { db: plain("x'; rm -rf ~ #") }).text).toBe(`x 'x'\\''; rm -rf ~ #'`);
    expect(substituteVariables('{{ e }}', { e: plain('') }).text).toBe("''");
  });

  it('leaves other braces alone', () => {
    const text = "docker inspect -f '{{ .State.Running }}' {{ name }}";
    expect(substituteVariables(text, { name: plain('shop') }).text).toBe("docker inspect -f '{{ .State.Running }}' 'shop'");
  });

  it('names the secrets a text uses, once each', () => {
    const values: VariableValues = { pw: { value: 'hunter2', secret: true }, user: plain('admin'), key: { value: 'k', secret: true } };
    expect(substituteVariables('login {{ user }} {{ pw }} {{ raw pw }} {{ key }}', values).secretsUsed).toEqual(['pw', 'key']);
  });

  it('masks secrets in a dry-run preview and shows the rest as it would run', () => {
    const values: VariableValues = { pw: { value: 'hunter2', secret: true }, user: plain("o'neil") };
    expect(maskedPreview('login {{ user }} {{ pw }} {{ raw pw }}', values)).toBe(`login 'o'\\''neil' *** ***`);
  });

  it('inserts values plainly where the text is not shell', () => {
    expect(substitutePlain('/opt/{{ app }}/{{ raw app }}', { app: plain("it's") })).toEqual({ text: "/opt/it's/it's", secretsUsed: [] });
  });

  it('refuses a missing variable and a value holding NUL, which no shell can carry', () => {
    const missing: unknown = (() => {
      try {
        return substituteVariables('echo {{ nope }}', {});
      } catch (error) {
        return error;
      }
    })();
    expect(isAppError(missing) && missing.code).toBe('VARIABLE_MISSING');
    expect(() => substituteVariables('echo {{ v }}', { v: plain('a\0b') })).toThrow(/NUL/);
    // An inherited name is not a variable.
    expect(() => substituteVariables('echo {{ toString }}', {})).toThrow(/toString has no value/);
  });
});

// The property on a real host: whatever a value holds (quotes, newlines, $, backticks, unicode;
// not NUL, which argv and shell strings cannot carry), `printf '%s' {{ v }}` run by `sh -c` gives
// it back byte for byte. Values go in batches, one `sh -c` per batch, each value followed by a NUL
// separator. The command line passes the login shell (bash) and then sh, so the quoting must hold
// for both.

let lab: TestLab;
let connection: SshConnection;

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['web1'] });
  connection = await connect(endpointOf(lab, 'web1'), keyOptions(lab));
});

afterAll(async () => {
  connection?.close();
  await lab?.stop();
});

async function echoBack(values: string[]): Promise<{ parts: Buffer[]; stderr: string; code: number | null }> {
  const script = values.map((value) => `${substituteVariables("printf '%s' {{ v }}", { v: plain(value) }).text}; printf '\\000'`).join('\n');
  const channel = await connection.exec(`sh -c ${shellQuote(script)}`);
  const chunks: Buffer[] = [];
  let stderr = '';
  let code: number | null = null;
  channel.on('data', (chunk: Buffer) => chunks.push(chunk));
  channel.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  channel.on('exit', (exitCode: number | null) => (code = exitCode));
  await new Promise((resolve) => channel.on('close', resolve));
  const all = Buffer.concat(chunks);
  const parts: Buffer[] = [];
  let at = 0;
  for (let i = all.indexOf(0); i !== -1; i = all.indexOf(0, at)) {
    parts.push(all.subarray(at, i));
    at = i + 1;
  }
  return { parts, stderr, code };
}

/** No lone surrogate: such a string has no UTF-8 form to send (String.isWellFormed is ES2024). */
const isWellFormed = (v: string): boolean => !/\p{Surrogate}/u.test(v);

const NASTY = ["'", '"', '\\', '\n', '\r', '\t', '$', '`', ' ', '!', '*', '?', ';', '#', '~', '{', '}', '(', ')', '|', '&', '<', '>', '%', '-', '=', 'a', 'é', '😀', '\u00a0', '\u2028', '\x7f', '\x01', '\x1b'];
const value = fc
  .oneof(fc.string({ unit: fc.constantFrom(...NASTY), maxLength: 24 }), fc.string({ unit: 'binary', maxLength: 16 }), fc.string({ maxLength: 24 }))
  .filter((v) => !v.includes('\0') && isWellFormed(v));

describe('shell quoting on a real host', () => {
  it('keeps hostile values one literal word', async () => {
    const marker = lab.host('web1').pathOnHost('/tmp/pwned');
    const hostile = ["x'; touch /tmp/pwned #", '$(touch /tmp/pwned)', '`touch /tmp/pwned`', "'\"'\"'", '-n', '-e \\n', '%s%d', '*', '~', '$HOME', '{a,b}', "a'\nb'", ''];
    const { parts, code } = await echoBack(hostile);
    expect(code).toBe(0);
    expect(parts.map((p) => p.toString('utf8'))).toEqual(hostile);
    expect(existsSync(marker)).toBe(false);
  });

  it('gives back arbitrary strings byte-identical through sh -c (property, in batches)', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 60, maxLength: 120 }), async (values) => {
        const { parts, stderr, code } = await echoBack(values);
        expect(stderr).toBe('');
        expect(code).toBe(0);
        expect(parts).toHaveLength(values.length);
        values.forEach((v, i) => expect(parts[i]!.equals(Buffer.from(v, 'utf8')), JSON.stringify(v)).toBe(true));
        checked += values.length;
      }),
      { numRuns: 8 },
    );
    console.log(`${checked} values given back byte-identical through bash and sh -c`);
    expect(checked).toBeGreaterThanOrEqual(480);
  });
});
