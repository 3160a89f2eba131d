// A Fieldrun core in its own process, driven through its dispatch as the app drives it: export a
// run's report, then "Sync now". The test SIGKILLs it mid-upload the way a crash or a dead battery
// would. Input: one JSON argument; output: `exported <json>`, then `round <json>`.
import { writeSync } from 'node:fs';
import { call, openKeys, startCore } from './appLab';

interface ChildInput {
  dataDir: string;
  keysDir: string;
  runId: string;
}

const input = JSON.parse(process.argv[2] ?? '{}') as ChildInput;
const core = startCore(input.dataDir, await openKeys(input.keysDir));
const exported = await call(core, 'reports.export', { runId: input.runId });
writeSync(1, `exported ${JSON.stringify(exported)}\n`);
const round = await call(core, 'outbox.syncNow', {});
writeSync(1, `round ${JSON.stringify(round)}\n`);
core.close();
