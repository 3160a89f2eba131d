import { writeSync } from 'node:fs';

/**
 * Writes a line to a file descriptor before returning, whatever the pipe does. Crash-test
 * children report each acknowledgement this way: the line must be out before the next commit,
 * or a kill could lose it. A child's stdout is a non-blocking pipe: when the parent falls behind
 * (a loaded machine) a write answers EAGAIN or takes part of the line, so it keeps at it.
 */
export function writeLineSync(fd: number, line: string): void {
  const bytes = Buffer.from(`${line}\n`);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(fd, bytes, written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
