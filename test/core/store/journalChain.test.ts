import { describe, expect, test } from 'vitest';
import { computeEventHash, GENESIS_HASH, parseJournalEvent, verifyEvents, type JournalEvent, type Store } from '../../../electron/core/store';
import { seedRun } from './seed';
import { tempStore } from './support';

// An attacker (or a careless repair) with the sqlite3 shell: triggers do not stop them.
function tamper(store: Store, sql: string, ...params: unknown[]): void {
  store.db.exec('DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;');
  store.db.prepare(sql).run(...params);
}

function storeWithEvents(count: number): { store: Store; runId: string } {
  const store = tempStore();
  const runId = seedRun(store);
  store.journal.appendMany(runId, Array.from({ length: count - 1 }, (_, i) => ({ type: 'step.note', payload: { i, text: `event ${i + 2}` } })));
  return { store, runId };
}

describe('the journal hash chain', () => {
  test('the hash format is fixed: a known event always hashes the same (report verifiers depend on it)', () => {
    // Values computed outside Node with `printf '%s' '<text>' | sha256sum`.
    const runId = '00000000-0000-4000-8000-000000000000';
    const genesis = '88b80504a18a85df7027ac7082bf61f80010cb1709ff1fbfe04a2c3401e36130'; // fieldrun-journal-v1:<runId>
    expect(GENESIS_HASH(runId)).toBe(genesis);
    // Hashed text: {"monoNs":"42","payload":{"a":null,"b":[1,"x"]},"prevHash":"<genesis>","runId":"<runId>","seq":1,"timeUtc":"2026-03-01T08:00:00.000Z","type":"run.created"}
    const event = { runId, seq: 1, timeUtc: '2026-03-01T08:00:00.000Z', monoNs: '42', type: 'run.created', payload: { b: [1, 'x'], a: null }, prevHash: genesis };
    expect(computeEventHash(event)).toBe('d1a0e393cb8a8644639ec40869264484d05f7027efc4240648c843c8bea43c1c');
  });

  test('an intact journal verifies, up to any seq, against its head hash', () => {
    const { store, runId } = storeWithEvents(5);
    const head = store.journal.head(runId);
    expect(store.journal.verifyChain(runId)).toEqual({ ok: true, head });
    expect(store.journal.verifyChain(runId, { expectHeadHash: head.hash })).toEqual({ ok: true, head });
    const third = store.journal.read(runId, { fromSeq: 3, limit: 1 })[0]!;
    expect(store.journal.verifyChain(runId, { upToSeq: 3, expectHeadHash: third.hash })).toEqual({ ok: true, head: { seq: 3, hash: third.hash } });
  });

  test('an edited payload is found at its seq', () => {
    const { store, runId } = storeWithEvents(5);
    tamper(store, `UPDATE journal SET payload = '{"i":1,"text":"nothing happened"}' WHERE run_id = ? AND seq = 3`, runId);
    expect(store.journal.verifyChain(runId)).toMatchObject({ ok: false, brokenAtSeq: 3, reason: expect.stringMatching(/altered/) });
  });

  test('a deleted event is found where the gap is', () => {
    const { store, runId } = storeWithEvents(5);
    tamper(store, 'DELETE FROM journal WHERE run_id = ? AND seq = 4', runId);
    expect(store.journal.verifyChain(runId)).toMatchObject({ ok: false, brokenAtSeq: 4, reason: expect.stringMatching(/missing/) });
  });

  test('reordered events are found', () => {
    const { store, runId } = storeWithEvents(5);
    // Swap events 2 and 3 by renumbering them.
    tamper(store, 'UPDATE journal SET seq = seq + 1000 WHERE run_id = ? AND seq IN (2, 3)', runId);
    store.db.prepare('UPDATE journal SET seq = CASE seq WHEN 1002 THEN 3 ELSE 2 END WHERE run_id = ? AND seq > 1000').run(runId);
    expect(store.journal.verifyChain(runId)).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });

  test('a journal cut short is found only against the head hash recorded elsewhere', () => {
    const { store, runId } = storeWithEvents(5);
    const head = store.journal.head(runId);
    tamper(store, 'DELETE FROM journal WHERE run_id = ? AND seq = 5', runId);
    expect(store.journal.verifyChain(runId)).toMatchObject({ ok: true });
    expect(store.journal.verifyChain(runId, { expectHeadHash: head.hash })).toMatchObject({ ok: false, brokenAtSeq: 5 });
  });

  test('verifyEvents checks an exported journal.jsonl without a database', () => {
    const { store, runId } = storeWithEvents(4);
    const jsonl = store.journal
      .read(runId)
      .map((e) => JSON.stringify(e))
      .join('\n');
    const parse = (text: string): JournalEvent[] =>
      text.split('\n').map((line) => {
        const parsed = parseJournalEvent(JSON.parse(line));
        if (!parsed.ok) throw new Error(parsed.error);
        return parsed.value;
      });
    const head = store.journal.head(runId);
    expect(verifyEvents(parse(jsonl), { runId, expectHeadHash: head.hash })).toEqual({ ok: true, head });
    expect(verifyEvents(parse(jsonl.replace('event 3', 'event 9')))).toMatchObject({ ok: false, brokenAtSeq: 3 });
    const lines = jsonl.split('\n');
    expect(verifyEvents(parse([lines[0], lines[2], lines[1], lines[3]].join('\n')))).toMatchObject({ ok: false, brokenAtSeq: 2 });
    expect(verifyEvents(parse(jsonl), { runId: 'another-run' })).toMatchObject({ ok: false, brokenAtSeq: 1 });
    expect(parseJournalEvent({ ...JSON.parse(lines[0]!), hash: 'not hex' })).toMatchObject({ ok: false });
  });
});
