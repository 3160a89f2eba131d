// A PROTOTYPE for the output benchmark, not the product: output chunks committed to SQLite
// (WAL, synchronous=FULL, ~4 MiB per transaction, per-chunk and running SHA-256) by a worker
// thread, so that the event loop keeps reading the SSH channel while a commit waits for the disk.
// It shows what moving the store's commits off the main thread would gain.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const Database = require(workerData.sqlitePath);
const db = new Database(workerData.dbPath);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('CREATE TABLE chunks (idx INTEGER PRIMARY KEY, data BLOB NOT NULL, sha256 TEXT NOT NULL) STRICT');
const insert = db.prepare('INSERT INTO chunks VALUES (?, ?, ?)');
const stream = createHash('sha256');
let idx = 0;
let length = 0;
const commit = db.transaction((batch) => {
  for (const buffer of batch) {
    for (let at = 0; at < buffer.length; at += 65536) {
      const piece = buffer.subarray(at, Math.min(at + 65536, buffer.length));
      insert.run(idx++, piece, createHash('sha256').update(piece).digest('hex'));
      stream.update(piece);
      length += piece.length;
    }
  }
});
parentPort.on('message', (message) => {
  if (message === 'end') {
    db.close();
    parentPort.postMessage({ length, sha256: stream.digest('hex') });
  } else {
    commit(message.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)));
    parentPort.postMessage('committed');
  }
});
`;

export interface OffThreadWriter {
  write(chunk: Buffer): void;
  close(): Promise<{ length: number; sha256: string }>;
}

export function openOffThreadWriter(dbPath: string, flushBytes = 4 * 1024 * 1024): OffThreadWriter {
  const sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { dbPath, sqlitePath } });
  let pending: Array<Uint8Array<ArrayBuffer>> = [];
  let pendingBytes = 0;
  let failure: Error | undefined;
  worker.on('error', (error) => (failure = error));
  const send = (): void => {
    if (pendingBytes === 0) return;
    const batch = pending;
    worker.postMessage(batch, batch.map((b) => b.buffer));
    pending = [];
    pendingBytes = 0;
  };
  const timer = setInterval(send, 100);
  return {
    write(chunk) {
      if (failure !== undefined) throw failure;
      // Copied into its own ArrayBuffer, which is then handed to the worker without another copy.
      pending.push(new Uint8Array(chunk));
      pendingBytes += chunk.length;
      if (pendingBytes >= flushBytes) send();
    },
    close: () =>
      new Promise((resolve, reject) => {
        clearInterval(timer);
        send();
        worker.on('message', (message: unknown) => {
          if (typeof message === 'object' && message !== null && 'sha256' in message) {
            void worker.terminate();
            resolve(message as { length: number; sha256: string });
          }
        });
        worker.once('error', reject);
        worker.postMessage('end');
      }),
  };
}
