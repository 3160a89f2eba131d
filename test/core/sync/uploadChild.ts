// Runs one bundle upload in a separate process, so a test can SIGKILL it mid-upload the way a
// crash or a closed laptop lid would. Input: one JSON argument; output: the outcome as JSON.
import { createHeadOffice, type BundleUpload } from '../../../electron/core/sync';

interface ChildInput {
  baseUrl: string;
  user: string;
  password: string;
  bundle: BundleUpload;
}

const input = JSON.parse(process.argv[2] ?? '{}') as ChildInput;
const office = createHeadOffice({
  baseUrl: input.baseUrl,
  auth: { kind: 'basic', user: input.user, password: input.password },
  clock: { nowUtc: () => new Date() },
  random: Math.random,
});
process.stdout.write('started\n');
const outcome = await office.uploadBundle(input.bundle);
office.close();
process.stdout.write(`${JSON.stringify(outcome)}\n`);
