// Manual use of the test lab:
//   npx tsx test/hosts/cli.ts up [--private] [HOST[@JUMP] ...]   start a lab that outlives this command
//                                                             (default: the example topology on
//                                                             the example addresses)
//   npx tsx test/hosts/cli.ts down [--all]   stop the labs `up` started (--all: every lab here)
//   npx tsx test/hosts/cli.ts status         list the labs on this machine
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_LAB } from './exampleLab';
import { startTestLab } from './lab';
import { listRecords, stopLab, withRegistryLock, sweepStaleLabs } from './labRegistry';
import { ownerAlive } from './processes';
import type { TestHostSpec } from './types';

function parseHosts(args: string[]): TestHostSpec[] {
  return args.map((a) => {
    const [name, behind] = a.split('@');
    return behind === undefined ? { name: name! } : { name: name!, behind };
  });
}

async function up(args: string[]): Promise<void> {
  const exampleAddresses = !args.includes('--private');
  const names = args.filter((a) => !a.startsWith('--'));
  const lab = await startTestLab({ hosts: names.length > 0 ? parseHosts(names) : EXAMPLE_LAB, exampleAddresses, persistent: true });
  const u = lab.user;
  console.log(`lab up (${lab.mode}); user ${u.name}, password ${u.password}, key ${u.privateKeyPath}`);
  for (const h of lab.hosts) {
    const via = h.behind === undefined ? '' : `  (only through ${h.behind})`;
    console.log(`  ${h.name.padEnd(8)} ${h.address}:${h.port}${via}`);
  }
  console.log(`\n  ssh -F ${lab.sshConfigPath} ${lab.hosts[lab.hosts.length - 1]!.name}`);
  console.log('\nstop with: npx tsx test/hosts/cli.ts down');
}

function down(args: string[]): void {
  const all = args.includes('--all');
  for (const rec of listRecords()) {
    if (all || rec.owner === null) {
      stopLab(rec);
      console.log(`stopped lab ${rec.labId}`);
    }
  }
  withRegistryLock(() => sweepStaleLabs());
}

function status(): void {
  const recs = listRecords();
  if (recs.length === 0) console.log('no labs');
  for (const rec of recs) {
    const owner = rec.owner === null ? 'persistent (cli up)' : `pid ${rec.owner.pid}${ownerAlive(rec.owner) ? '' : ' (dead: swept by the next lab)'}`;
    let hosts = '';
    try {
      hosts = readFileSync(join(rec.dir, 'hosts.txt'), 'utf8').trim();
    } catch {
      hosts = '(starting)';
    }
    console.log(`lab ${rec.labId} ${rec.mode} slot ${String(rec.slot)} owner ${owner} since ${rec.createdAt}\n  ${hosts.split('\n').join('\n  ')}`);
  }
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === 'up') await up(rest);
else if (cmd === 'down') down(rest);
else if (cmd === 'status') status();
else {
  console.error('usage: npx tsx test/hosts/cli.ts up [--private] [HOST[@JUMP] ...] | down [--all] | status');
  process.exitCode = 2;
}
