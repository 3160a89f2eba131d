// Browser mode for the resume spec, as its own process (so the spec can SIGKILL it mid-step):
// the same core and host as `npm run serve`, with the lab's key as the SSH credential (browser
// mode has no credential profiles it could restore after a crash). Prints the URL like the host.
//   tsx test/e2e/resumeHost.ts --data-dir DIR --key FILE --renderer-dir DIR
import { parseArgs } from 'node:util';
import { createCore } from '../../electron/core/core';
import { startHost } from '../../electron/host/hostServer';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, key: { type: 'string' }, 'renderer-dir': { type: 'string' } } });
const dataDir = values['data-dir'];
const key = values.key;
const rendererDir = values['renderer-dir'];
if (dataDir === undefined || key === undefined || rendererDir === undefined) {
  process.stderr.write('usage: resumeHost.ts --data-dir DIR --key FILE --renderer-dir DIR\n');
  process.exit(2);
}
const core = createCore({
  dataDir,
  runner: { credentials: [{ name: 'lab', appliesTo: { all: true }, credentials: [{ kind: 'privateKey', keyPath: key }] }], checkTimeoutMs: 30_000 },
});
const host = await startHost({ core, rendererDir });
process.stdout.write(`Open ${host.url}\n`);
