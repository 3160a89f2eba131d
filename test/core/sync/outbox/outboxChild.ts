// Runs one "Sync now" of the outbox in a separate Fieldrun process, so a test can SIGKILL it
// mid-upload the way a crash or a dead battery would. Input: one JSON argument; output: `started`,
// then the round as JSON.
import { writeSync } from 'node:fs';
import { openStore, systemClock } from '../../../../electron/core/store';
import { createHeadOffice } from '../../../../electron/core/sync';
import { createOutbox } from '../../../../electron/core/sync/outbox';

interface ChildInput {
  dataDir: string;
  baseUrl: string;
  user: string;
  password: string;
}

const input = JSON.parse(process.argv[2] ?? '{}') as ChildInput;
const store = openStore({ dataDir: input.dataDir });
const office = createHeadOffice({ baseUrl: input.baseUrl, auth: { kind: 'basic', user: input.user, password: input.password }, clock: systemClock, random: Math.random });
const outbox = createOutbox({ store, headOffice: () => office, clock: systemClock, random: Math.random });
writeSync(1, 'started\n');
const round = await outbox.syncNow({ all: true });
office.close();
store.close();
writeSync(1, `${JSON.stringify(round)}\n`);
