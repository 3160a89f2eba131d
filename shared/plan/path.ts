// Paths name a place in the document the way a person reads it: `steps[3].needs[0]`, with
// zero-based list indexes and keys that are not plain identifiers quoted (`env["MY-VAR"]`).
export type PlanPathSegment = string | number;
export type PlanPath = readonly PlanPathSegment[];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatPlanPath(path: PlanPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** True when `inner` is `outer` or lies below it. */
export function isWithinPath(inner: PlanPath, outer: PlanPath): boolean {
  if (inner.length < outer.length) return false;
  return outer.every((segment, i) => inner[i] === segment);
}

/** The inverse of formatPlanPath: 'steps[3].needs[0]' -> ['steps', 3, 'needs', 0]. */
export function parsePlanPath(text: string): PlanPathSegment[] {
  const segments: PlanPathSegment[] = [];
  const pattern = /([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|(\.)/gy;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < text.length && (match = pattern.exec(text)) !== null) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(JSON.parse(match[3]) as string);
  }
  return segments;
}
