import { z } from 'zod';

/** Everything the core tells subscribers without being asked. Subscribers get only these names. */
export const eventSchemas = {
  'plans.changed': z.object({ hash: z.string() }),
} as const;

export type EventName = keyof typeof eventSchemas;
export type EventPayload<E extends EventName> = z.output<(typeof eventSchemas)[E]>;
export const EVENT_NAMES = Object.keys(eventSchemas) as EventName[];
