import type { VersionRequirement } from '../../../shared/plan';

// Version ordering as the package managers define it, so that '>= 1.2.3-1' means on the check
// what it means to dpkg or rpm on the host. Both return -1, 0 or 1.

export type VersionOrdering = 'dpkg' | 'rpm';

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const sign = (n: number): -1 | 0 | 1 => (n < 0 ? -1 : n > 0 ? 1 : 0);

// ---- dpkg (lib/dpkg/version.c: order, verrevcmp, dpkg_version_compare) -----------------------

/** dpkg's weight of a character in a non-digit run: '~' before the end, the end before letters, letters before the rest. */
function dpkgOrder(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (isAlpha(c)) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = dpkgOrder(a[i]);
      const bc = dpkgOrder(b[j]);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

export interface DpkgVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

/** [epoch:]upstream[-revision]; undefined when the epoch is not a number. */
export function parseDpkgVersion(text: string): DpkgVersion | undefined {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  let epoch = 0;
  let rest = trimmed;
  if (colon >= 0) {
    const epochText = trimmed.slice(0, colon);
    if (!/^\d+$/.test(epochText)) return undefined;
    epoch = Number(epochText);
    rest = trimmed.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  const upstream = dash >= 0 ? rest.slice(0, dash) : rest;
  const revision = dash >= 0 ? rest.slice(dash + 1) : '';
  if (upstream === '') return undefined;
  return { epoch, upstream, revision };
}

export function compareDpkgVersions(a: string, b: string): -1 | 0 | 1 {
  const va = parseDpkgVersion(a);
  const vb = parseDpkgVersion(b);
  if (va === undefined || vb === undefined) throw new RangeError(`not a dpkg version: ${JSON.stringify(va === undefined ? a : b)}`);
  if (va.epoch !== vb.epoch) return va.epoch > vb.epoch ? 1 : -1;
  return sign(verrevcmp(va.upstream, vb.upstream) || verrevcmp(va.revision, vb.revision));
}

// ---- rpm (rpmio/rpmvercmp.c: rpmvercmp, with '~' since 4.10 and '^' since 4.15) --------------

const isAlnum = (c: string | undefined): boolean => isDigit(c) || isAlpha(c);

/** rpmvercmp on one version or release string. */
export function compareRpmVersions(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;

    // '~' sorts before everything, the end of the string included.
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    // '^' sorts after the end of the string but before any other segment.
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;

    const numeric = isDigit(a[i]);
    const inSegment = numeric ? isDigit : isAlpha;
    let ie = i;
    let je = j;
    while (ie < a.length && inSegment(a[ie])) ie++;
    while (je < b.length && inSegment(b[je])) je++;
    // A numeric segment is newer than an alphabetic one.
    if (je === j) return numeric ? 1 : -1;

    let segA = a.slice(i, ie);
    let segB = b.slice(j, je);
    if (numeric) {
      segA = segA.replace(/^0+/, '');
      segB = segB.replace(/^0+/, '');
      if (segA.length !== segB.length) return segA.length > segB.length ? 1 : -1;
    }
    if (segA !== segB) return segA > segB ? 1 : -1;
    i = ie;
    j = je;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

export interface RpmEvr {
  epoch: number | undefined;
  version: string;
  release: string | undefined;
}

/** [epoch:]version[-release]. */
export function parseRpmEvr(text: string): RpmEvr | undefined {
  const match = /^(?:(\d+):)?([^-]+)(?:-(.+))?$/.exec(text.trim());
  if (!match) return undefined;
  return { epoch: match[1] === undefined ? undefined : Number(match[1]), version: match[2]!, release: match[3] };
}

/**
 * rpm's EVR comparison as in dependency matching (rpmdsCompare): a missing epoch is 0, and the
 * release counts only when both sides have one, so '>= 2.4' holds for 2.4-1.el9.
 */
export function compareRpmEvr(a: string, b: string): -1 | 0 | 1 {
  const ea = parseRpmEvr(a);
  const eb = parseRpmEvr(b);
  if (ea === undefined || eb === undefined) throw new RangeError(`not an rpm version: ${JSON.stringify(ea === undefined ? a : b)}`);
  const epochA = ea.epoch ?? 0;
  const epochB = eb.epoch ?? 0;
  if (epochA !== epochB) return epochA > epochB ? 1 : -1;
  const byVersion = compareRpmVersions(ea.version, eb.version);
  if (byVersion !== 0 || ea.release === undefined || eb.release === undefined) return byVersion;
  return compareRpmVersions(ea.release, eb.release);
}

export function compareVersions(ordering: VersionOrdering, a: string, b: string): -1 | 0 | 1 {
  return ordering === 'dpkg' ? compareDpkgVersions(a, b) : compareRpmEvr(a, b);
}

/** Whether `version` meets every requirement; undefined when one side is not a version of that ordering. */
export function meetsRequirements(ordering: VersionOrdering, version: string, requirements: readonly VersionRequirement[]): boolean | undefined {
  try {
    return requirements.every(({ op, version: wanted }) => {
      const c = compareVersions(ordering, version, wanted);
      switch (op) {
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '=':
          return c === 0;
        case '!=':
          return c !== 0;
        case '>=':
          return c >= 0;
        case '>':
          return c > 0;
      }
    });
  } catch {
    return undefined;
  }
}
