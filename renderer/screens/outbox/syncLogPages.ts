// The sync log as shown: the newest page (refetched as the log grows) followed by the older pages
// loaded on demand, each record once, newest first.
import type { MethodOutput } from '../../../shared/contract';

export type LogRecord = MethodOutput<'outbox.log'>['records'][number];

export function mergeLogPages(first: readonly LogRecord[], older: readonly LogRecord[]): LogRecord[] {
  const byId = new Map<number, LogRecord>();
  for (const r of [...first, ...older]) if (!byId.has(r.id)) byId.set(r.id, r);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}
