import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { createCore } from '../core/core';
import { startHost } from './hostServer';
import { defaultHostDataDir } from './defaultDataDir';

// `npm run serve`: browser mode. Prints the URL (with the access token) to open in a browser.
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    'renderer-dir': { type: 'string', default: 'out/renderer' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a number from 0 to 65535 (0 picks a free port), not ${values.port}.\n`);
  process.exit(2);
}
const rendererDir = resolve(values['renderer-dir']);
if (!existsSync(resolve(rendererDir, 'index.html'))) {
  process.stderr.write(`No built renderer in ${rendererDir}. Run \`npm run build\` first.\n`);
  process.exit(2);
}
const dataDir = resolve(values['data-dir'] ?? defaultHostDataDir());
// No secretStore: browser mode has no OS keychain, so the key vault keeps the signing key in a
// passphrase-protected file in the data folder, which the page unlocks (identity.unlock) each session.
const core = createCore({
  dataDir,
  // Only the method and the kind of failure: messages and stacks may carry plan values.
  onInternalError: (method, error) => process.stderr.write(`Internal error in ${method} (${error instanceof Error ? error.name : typeof error}).\n`),
});
const host = await startHost({ core, rendererDir, port });
process.stdout.write(`Fieldrun browser mode: data in ${dataDir}\nOpen ${host.url}\n`);

const stop = (): void => {
  void host.close().then(() => {
    core.close();
    process.exit(0);
  });
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
