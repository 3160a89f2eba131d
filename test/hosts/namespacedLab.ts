// A lab of real hosts: each sshd in its own network, mount and UTS namespace.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { provideHostKeys } from './hostKeys';
import { bindMounts, hostFileSystem, writeHostFiles } from './hostFileSystem';
import { createNetwork, planNetns, planRootLinks } from './labNetwork';
import { claimSlot, labDir, newLabId, slotHolder, sweepStaleLabs, teardownSync, withRegistryLock, writeRecord, type LabRecord } from './labRegistry';
import type { HostRuntime, LabRuntime } from './labRuntime';
import { authorizedKeys, labAccounts, provideUser } from './labUser';
import { currentOwner } from './processes';
import { sshdConfig } from './sshdConfig';
import { startSshd } from './sshdProcess';
import { planLab, type LabPlan, type NormalizedSpec } from './topology';
import type { TestUser } from './types';

export interface NamespacedLabOptions {
  exampleAddresses: boolean;
  waitMs: number;
  persistent: boolean;
}

/** Claims a slot and records the lab, waiting for the example slot if another lab holds it. */
async function registerLab(specs: NormalizedSpec[], opts: NamespacedLabOptions): Promise<{ plan: LabPlan; record: LabRecord }> {
  const labId = newLabId();
  const deadline = Date.now() + opts.waitMs;
  let told = false;
  for (;;) {
    const got = withRegistryLock(() => {
      sweepStaleLabs();
      const slot = claimSlot(labId, opts.exampleAddresses ? 'example' : 'private');
      if (slot === undefined) return undefined;
      const plan = planLab(labId, slot, specs);
      const record: LabRecord = {
        labId,
        owner: opts.persistent ? null : currentOwner(),
        mode: 'namespaces',
        slot,
        netns: planNetns(plan),
        links: planRootLinks(plan),
        dir: labDir(labId),
        createdAt: new Date().toISOString(),
      };
      writeRecord(record);
      return { plan, record };
    });
    if (got !== undefined) return got;
    const holder = slotHolder(0) ?? 'another lab';
    if (Date.now() > deadline) {
      throw new Error(`test lab: the example addresses (198.18.0.0/24) are still held by lab ${holder} after ${opts.waitMs} ms; stop it (npx tsx test/hosts/cli.ts down) or start without exampleAddresses`);
    }
    if (!told && opts.exampleAddresses) {
      process.stderr.write(`test lab: waiting for lab ${holder} to release the example addresses (198.18.0.0/24)\n`);
      told = true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startNamespacedLab(specs: NormalizedSpec[], opts: NamespacedLabOptions): Promise<{ rt: LabRuntime; user: TestUser }> {
  const { plan, record } = await registerLab(specs, opts);
  try {
    return await buildLab(plan, record);
  } catch (e) {
    teardownSync(record);
    throw e;
  }
}

async function buildLab(plan: LabPlan, record: LabRecord): Promise<{ rt: LabRuntime; user: TestUser }> {
  const rt: LabRuntime = { labId: plan.labId, mode: 'namespaces', record, hosts: new Map(), closers: new Set(), stopped: false };
  const userDir = join(record.dir, 'user');
  mkdirSync(userDir, { recursive: true, mode: 0o700 });
  const user = provideUser(userDir);
  const accounts = labAccounts();
  const keysText = authorizedKeys();

  const prepareHosts = Promise.all(
    plan.hosts.map(async (p): Promise<HostRuntime> => {
      const hostDir = join(record.dir, 'hosts', p.spec.name);
      const sshDir = join(hostDir, 'ssh');
      mkdirSync(sshDir, { recursive: true, mode: 0o700 });
      const fs = hostFileSystem(hostDir);
      writeHostFiles(fs, { name: p.spec.name, ...(p.spec.lang === undefined ? {} : { lang: p.spec.lang }), accounts, authorizedKeys: keysText });
      const { paths, keys } = await provideHostKeys(p.spec.name, p.spec.hostKeyTypes, sshDir);
      const configPath = join(sshDir, 'sshd_config');
      writeFileSync(configPath, sshdConfig({ hostKeyPaths: paths, port: 22, usePam: true, strictModes: true, extra: p.spec.sshd }));
      return {
        spec: p.spec,
        address: p.address,
        port: 22,
        hostKeys: keys,
        directlyReachable: p.spec.behind === undefined,
        planned: p,
        fileSystem: fs,
        listenerPid: undefined,
        netFaults: { down: false, lossPercent: 0 },
        launch: {
          labId: plan.labId,
          host: p.spec.name,
          configPath,
          logPath: join(hostDir, 'sshd.log'),
          startLogPath: join(hostDir, 'start.log'),
          netns: { name: p.netns, hostname: p.spec.name, mounts: bindMounts(fs) },
        },
      };
    }),
  );
  const [hosts] = await Promise.all([prepareHosts, createNetwork(plan)]);
  for (const h of hosts) rt.hosts.set(h.spec.name, h);
  await Promise.all(
    hosts.map(async (h) => {
      h.listenerPid = await startSshd(h.launch);
    }),
  );
  return { rt, user };
}
