import { cleanupScript } from './controlScripts';
import { assertExecId } from './execId';
import { runScript, type RemoteShell } from './remoteShell';

export interface CleanupOptions {
  /** Only these executions; otherwise every finished one. */
  execIds?: readonly string[];
  /** Only records older than this many days; 0 (default) removes finished ones of any age. */
  olderThanDays?: number;
}

/**
 * Removes the host's records (output files included) of finished executions. Running ones are
 * never touched and come back as `running`. Separate from the runs themselves on purpose: the
 * records are what reattach reads, so only the caller knows when they are no longer needed.
 */
export async function cleanupExecutions(shell: RemoteShell, options: CleanupOptions = {}): Promise<{ removed: string[]; running: string[] }> {
  for (const id of options.execIds ?? []) assertExecId(id);
  const output = await runScript(shell, cleanupScript(options.execIds, Math.max(0, options.olderThanDays ?? 0)));
  const removed: string[] = [];
  const running: string[] = [];
  for (const line of output.stdout.split('\n')) {
    const [what, id] = line.split(' ');
    if (id === undefined) continue;
    if (what === 'removed') removed.push(id);
    else if (what === 'running') running.push(id);
  }
  return { removed, running };
}
