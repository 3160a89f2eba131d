import { z } from 'zod';
import { listWords } from '../describe';
import type { PlanPath } from '../path';
import { expectedOf } from './expectations';

// Finding the part of the schema that governs a place in the document, so that a problem can
// say what belongs there ("add title: a non-empty single line") and suggest the key a typo meant.

export interface SchemaSpot {
  readonly schema: z.ZodType;
  /** The description given closest to this place (on a wrapper or on the type itself). */
  readonly description: string | undefined;
}

/** The schema at `path`, with optional/default wrappers removed and check types chosen by `type`. */
export function schemaAt(root: z.ZodType, document: unknown, path: PlanPath): SchemaSpot | undefined {
  let spot = settle(root, document);
  let value = document;
  for (const segment of path) {
    const schema = spot.schema;
    let next: z.ZodType | undefined;
    if (schema instanceof z.ZodObject && typeof segment === 'string') next = (schema.shape as Record<string, z.ZodType>)[segment];
    else if (schema instanceof z.ZodArray && typeof segment === 'number') next = schema.element as z.ZodType;
    else if (schema instanceof z.ZodRecord && typeof segment === 'string') next = schema.valueType as z.ZodType;
    if (next === undefined) return undefined;
    value = childOf(value, segment);
    spot = settle(next, value);
  }
  return spot;
}

/** The keys a mapping at `path` may have, when the schema there is a mapping with fixed keys. */
export function knownKeysAt(root: z.ZodType, document: unknown, path: PlanPath): string[] | undefined {
  const spot = schemaAt(root, document, path);
  return spot && spot.schema instanceof z.ZodObject ? Object.keys(spot.schema.shape) : undefined;
}

export function expectedAt(root: z.ZodType, document: unknown, path: PlanPath): string | undefined {
  const spot = schemaAt(root, document, path);
  return spot === undefined ? undefined : (expectedOf(spot.schema) ?? expectedFromShape(spot.schema) ?? spot.description);
}

/** Words for what a schema without registered words accepts, from its shape. */
function expectedFromShape(schema: z.ZodType): string | undefined {
  if (schema instanceof z.ZodEnum) return `one of ${listWords(schema.options.map(String))}`;
  if (schema instanceof z.ZodLiteral) return [...schema.values].map(String).join(' or ');
  if (schema instanceof z.ZodBoolean) return 'true or false';
  if (schema instanceof z.ZodNumber) return 'a number';
  if (schema instanceof z.ZodString) return 'a text';
  if (schema instanceof z.ZodRecord) return 'a mapping of names to values';
  if (schema instanceof z.ZodArray) {
    const item = settle(schema.element as z.ZodType, undefined).schema;
    const what = item instanceof z.ZodObject ? `, each a mapping with ${requiredKeys(item)}` : '';
    return `a list${what}`;
  }
  if (schema instanceof z.ZodObject) return `a mapping with ${requiredKeys(schema)}`;
  return undefined;
}

function requiredKeys(schema: z.ZodObject): string {
  const shape = schema.shape as Record<string, z.ZodType>;
  const required = Object.keys(shape).filter((key) => !(shape[key] instanceof z.ZodOptional || shape[key] instanceof z.ZodDefault));
  return required.length === 0 ? 'optional keys' : listWords(required, 'and');
}

function settle(schema: z.ZodType, value: unknown): SchemaSpot {
  let current = schema;
  let description = current.description;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodDiscriminatedUnion) {
      // Registered expectations sit on the union; the option is chosen only when `type` names one.
      const option = pickOption(current, value);
      if (option === undefined) break;
      current = option;
    } else break;
    description ??= current.description;
  }
  return { schema: current, description: description ?? current.description };
}

function pickOption(union: z.ZodDiscriminatedUnion, value: unknown): z.ZodType | undefined {
  const type = childOf(value, 'type');
  return (union.options as readonly z.ZodType[]).find((option) => {
    if (!(option instanceof z.ZodObject)) return false;
    const literal = (option.shape as Record<string, z.ZodType>)['type'];
    return literal instanceof z.ZodLiteral && literal.values.has(type as never);
  });
}

export function childOf(value: unknown, segment: string | number): unknown {
  if (typeof segment === 'number') return Array.isArray(value) ? value[segment] : undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.prototype.hasOwnProperty.call(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
}

export function valueAt(document: unknown, path: PlanPath): unknown {
  let value = document;
  for (const segment of path) value = childOf(value, segment);
  return value;
}
