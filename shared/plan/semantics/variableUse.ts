import { closest, shown } from '../describe';
import type { ProblemDraft } from '../draft';
import type { PlanPath } from '../path';
import { findVariableRefs } from '../variables';
import { isRecord, problem, type SemanticContext } from './raw';

// Every `{{ name }}` in steps and checks must name a declared variable: on site an unknown name
// could only become an empty string or a failed step. Secrets are asked for on site, so a plan
// that carries a secret's value is refused rather than trusted with it.
export function checkVariableUse({ document }: SemanticContext): ProblemDraft[] {
  if (!isRecord(document)) return [];
  const variables = isRecord(document['variables']) ? document['variables'] : {};
  const declared = Object.keys(variables);
  const used = new Set<string>();
  const problems: ProblemDraft[] = [];

  for (const section of ['steps', 'baseline'] as const) {
    forEachText(document[section], [section], (text, path) => {
      const reported = new Set<string>();
      for (const ref of findVariableRefs(text)) {
        used.add(ref.name);
        if (Object.prototype.hasOwnProperty.call(variables, ref.name) || reported.has(ref.name)) continue;
        reported.add(ref.name);
        const suggestion = closest(ref.name, declared);
        const written = `{{ ${ref.raw ? 'raw ' : ''}${ref.name} }}`;
        problems.push(
          problem(
            'VARIABLE_UNDECLARED',
            path,
            written,
            'a variable declared under variables',
            `${written} refers to no declared variable${suggestion ? `; did you mean ${shown(suggestion)}?` : `; declare ${ref.name} under variables.`}`,
          ),
        );
      }
    });
  }

  for (const name of declared) {
    const variable = variables[name];
    if (!isRecord(variable)) continue;
    if (variable['secret'] === true && variable['value'] !== undefined) {
      problems.push(
        problem(
          'SECRET_HAS_VALUE',
          ['variables', name, 'value'],
          'a value (hidden: it belongs to a secret)',
          'no value: secrets are asked for on site',
          `${name} is a secret, so its value must not be written in the plan: remove value (and treat the value as exposed); the technician is asked for it on site.`,
        ),
      );
    }
    if (!used.has(name)) {
      problems.push(
        problem(
          'VARIABLE_UNUSED',
          ['variables', name],
          `the variable ${name}`,
          'a variable used in a step or check as {{ name }}',
          `${name} is declared but used by no step or check; remove it or use it as {{ ${name} }}.`,
          'warning',
        ),
      );
    }
  }
  return problems;
}

function forEachText(value: unknown, path: PlanPath, visit: (text: string, path: PlanPath) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((item: unknown, index) => forEachText(item, [...path, index], visit));
  else if (isRecord(value)) for (const [key, item] of Object.entries(value)) forEachText(item, [...path, key], visit);
}
