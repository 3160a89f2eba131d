import { z } from 'zod';

/** Everything the core tells subscribers without being asked. Subscribers get only these names. */
export const eventSchemas = {
  'plans.changed': z.object({ hash: z.string() }),
  /** A run's journal moved to `seq`: fetch runs.get. Sent only after the events are committed. */
  'runs.changed': z.object({ runId: z.string(), seq: z.number().int().nonnegative() }),
  /** Live masked output of a step; the same bytes are stored and can be read by range. */
  'runs.output': z.object({ runId: z.string(), stream: z.string(), offset: z.number().int().nonnegative(), data: z.string() }),
  /** An outbox entry changed state (queued, sending, delivered, …), after the commit: fetch outbox.list. */
  'outbox.changed': z.object({ id: z.number().int(), state: z.string() }),
} as const;

export type EventName = keyof typeof eventSchemas;
export type EventPayload<E extends EventName> = z.output<(typeof eventSchemas)[E]>;
export const EVENT_NAMES = Object.keys(eventSchemas) as EventName[];
