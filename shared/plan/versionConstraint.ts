// Version constraints for packages and operating systems: '>= 1.2.3-1', '>= 12, < 14', '2.4.1'.
// The comparison itself (dpkg or rpm ordering) belongs to the checks; the plan only fixes the
// grammar so that a typo is caught at import, not on site.
export type VersionOperator = '<' | '<=' | '=' | '!=' | '>=' | '>';

export interface VersionRequirement {
  readonly op: VersionOperator;
  readonly version: string;
}

const PART_BODY = String.raw`\s*(<=|>=|==|!=|=|<|>)?\s*([0-9A-Za-z][0-9A-Za-z.+~:_^-]*)\s*`;
const PART = new RegExp(`^${PART_BODY}$`);
/** The whole constraint, for the JSON Schema (editors check the grammar as it is typed). */
export const VERSION_CONSTRAINT_PATTERN = new RegExp(`^${PART_BODY}(?:,${PART_BODY})*$`);

export const VERSION_CONSTRAINT_EXPECTED = "a version constraint such as '>= 1.2.3-1' or '>= 12, < 14' (in quotes)";

/** The requirements, all of which must hold; undefined when `text` is not a constraint. */
export function tryParseVersionConstraint(text: string): VersionRequirement[] | undefined {
  if (text.length > 200) return undefined;
  const requirements: VersionRequirement[] = [];
  for (const part of text.split(',')) {
    const match = PART.exec(part);
    if (!match) return undefined;
    const op = match[1] === undefined || match[1] === '==' ? '=' : (match[1] as VersionOperator);
    requirements.push({ op, version: match[2]! });
  }
  return requirements;
}

export function parseVersionConstraint(text: string): VersionRequirement[] {
  const requirements = tryParseVersionConstraint(text);
  if (requirements === undefined) throw new RangeError(`not a version constraint: ${JSON.stringify(text)}`);
  return requirements;
}
