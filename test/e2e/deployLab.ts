// Helpers for the Deploy specs (not a spec itself): an sshd lab host, a plan generated for it, a
// run whose checklist and baseline are done and flags acknowledged, and browser mode serving it —
// in this process, so that the core has the lab's key as its credential.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startHost, type RunningHost } from '../../electron/host/hostServer';
import type { Core } from '../../electron/core/core';
import { startTestLab, type TestLab } from '../hosts';
import { baselinedRun, labCore, labPlanDir, removeTempDirs } from '../core/runner/runLab';
import { rendererOutDir } from './hostProcess';

export interface DeployLab {
  readonly lab: TestLab;
  readonly core: Core;
  readonly host: RunningHost;
  readonly runId: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** A lab with one host (web1) and a run of the given steps, ready to deploy, served in browser mode. */
export async function startDeployLab(
  steps: Array<Record<string, unknown>>,
  makePlan: (lab: TestLab, hosts: readonly string[], steps: Array<Record<string, unknown>>) => string = labPlanDir,
): Promise<DeployLab> {
  const lab = await startTestLab({ hosts: ['web1'] });
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldrun-e2e-deploy-'));
  const core = labCore(lab, dataDir);
  const { runId } = await baselinedRun(core, makePlan(lab, ['web1'], steps));
  const host = await startHost({ core, rendererDir: rendererOutDir(), port: 0 });
  return {
    lab,
    core,
    host,
    runId,
    dataDir,
    async stop() {
      await host.close();
      core.close();
      await lab.stop();
      removeTempDirs();
    },
  };
}

/** Records every main-thread long task of the page (ms), from its first script on. */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const tasks: number[] = [];
    (window as unknown as { __longTasks: number[] }).__longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
}

export function longTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
}

/** Opens browser mode and goes to the run's Deploy screen. */
export async function openDeploy(page: Page, url: string): Promise<void> {
  await openScreen(page, url, 'Deploy');
}

/** Opens browser mode and goes to one of the run's screens. */
export async function openScreen(page: Page, url: string, screen: string): Promise<void> {
  page.on('console', (m) => {
    if (m.type() === 'error') process.stderr.write(`console error: ${m.text()}\n`);
  });
  page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n${error.stack ?? ''}\n`));
  await page.goto(url);
  await page.locator('body[data-ready="true"]').waitFor();
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: screen }).click();
  await page.getByRole('heading', { name: screen, level: 1 }).waitFor();
}
