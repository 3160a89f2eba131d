// The StreamLog of one stream of a run, fed by the core's live `runs.output` events and its
// `runs.output.read` ranges; a new one when the stream changes. Re-renders at most once per frame.
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { call, subscribe } from '../../../api/api';
import { Base64Scratch, decodeBase64 } from './base64';
import { StreamLog } from './streamLog';

const noLog = (): (() => void) => () => undefined;

export function useStreamLog(runId: string, stream: string, finalLength: number | undefined): StreamLog | undefined {
  const [log, setLog] = useState<StreamLog | undefined>(undefined);

  useEffect(() => {
    const created = new StreamLog(async (offset, length) => decodeBase64((await call('runs.output.read', { runId, stream, offset, length })).data));
    setLog(created);
    // StreamLog.live copies what it keeps, so every event can be decoded into the same buffer.
    const scratch = new Base64Scratch();
    const off = subscribe('runs.output', (event) => {
      if (event.runId === runId && event.stream === stream) created.live(event.offset, scratch.decode(event.data));
    });
    return () => {
      off();
      created.dispose();
    };
  }, [runId, stream]);

  useEffect(() => {
    if (finalLength !== undefined) log?.ended(finalLength);
  }, [log, finalLength]);

  const follow = useCallback((notify: () => void) => (log === undefined ? noLog() : log.subscribe(notify)), [log]);
  useSyncExternalStore(follow, () => log?.version ?? -1);
  return log;
}
