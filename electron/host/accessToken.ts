import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh 256-bit access token, hex. */
export function newAccessToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Constant-time comparison. Both sides are hashed first so that the comparison takes the same
 * time whatever the length of what was presented.
 */
export function tokenMatches(expected: string, presented: string): boolean {
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(presented, 'utf8').digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}
