/** Where a CLI command writes; tests pass buffers, the binary passes the process streams. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** Exit codes: 0 done, 1 the thing checked is bad, 2 untrusted/undecided, 64 usage error. */
export const EXIT = { ok: 0, failed: 1, untrusted: 2, usage: 64 } as const;
