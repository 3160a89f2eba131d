// Variable references inside plan text. In a command (`run` of a step, a rollback or a command
// check) `{{ name }}` is replaced by the value quoted for the shell, so a value like
// `x'; rm -rf ~ #` stays one word, and `{{ raw name }}` inserts it as-is: the only way to do so.
// In other text (env values, paths, URLs, instructions) both forms insert the value as-is, since
// that text is data, not shell. Only these two shapes with an identifier are references: other
// text in braces, such as docker's `{{ .State.Running }}`, is left alone.
export interface VariableRef {
  readonly name: string;
  readonly raw: boolean;
  /** UTF-16 offsets of the whole reference in the text: text.slice(start, end) is `{{ … }}`. */
  readonly start: number;
  readonly end: number;
}

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const REFERENCE = /\{\{\s*(raw\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function findVariableRefs(text: string): VariableRef[] {
  const refs: VariableRef[] = [];
  for (const match of text.matchAll(REFERENCE)) {
    const start = match.index;
    refs.push({ name: match[2]!, raw: match[1] !== undefined, start, end: start + match[0].length });
  }
  return refs;
}
