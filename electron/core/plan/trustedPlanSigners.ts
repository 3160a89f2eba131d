import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllowedSigners } from '../sshsig';

const FILE = 'trusted-plan-signers';

/**
 * Head office's plan signers, kept as an allowed_signers file in the data folder so that it can
 * be read, diffed and replaced with stock tools. Read at every import: an edit takes effect at once.
 */
export function readTrustedPlanSigners(dataDir: string): string {
  try {
    return readFileSync(join(dataDir, FILE), 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return '';
    throw error;
  }
}

/** Checks the text (ALLOWED_SIGNERS_INVALID names a bad line) and replaces the file atomically. */
export function writeTrustedPlanSigners(dataDir: string, text: string): number {
  const count = parseAllowedSigners(text).length;
  const path = join(dataDir, FILE);
  const temp = `${path}.incoming`;
  const fd = openSync(temp, 'w', 0o644);
  try {
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  return count;
}

export function countTrustedPlanSigners(text: string): number {
  return parseAllowedSigners(text).length;
}
