import type { EventName, MethodName } from '../contract';

// The one place IPC channel names are made, so the preload and main cannot drift apart.
const PREFIX = 'fieldrun:';

export function methodChannel(method: MethodName): string {
  return `${PREFIX}${method}`;
}

export function eventChannel(event: EventName): string {
  return `${PREFIX}event:${event}`;
}
