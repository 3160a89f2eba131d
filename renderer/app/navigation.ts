// Where the technician is: one screen, and the run it belongs to. Kept in sessionStorage so that a
// reload (or a crash of the page) comes back to the same place.
import { create } from 'zustand';

export const RUN_SCREENS = ['overview', 'connect', 'checklist', 'baseline', 'deploy', 'handover', 'report'] as const;
export const GLOBAL_SCREENS = ['plans', 'outbox', 'settings'] as const;
export type RunScreen = (typeof RUN_SCREENS)[number];
export type GlobalScreen = (typeof GLOBAL_SCREENS)[number];
export type ScreenId = RunScreen | GlobalScreen;

export interface Place {
  readonly screen: ScreenId;
  readonly runId: string | undefined;
}

const STORAGE_KEY = 'fieldrun.place';

export function isRunScreen(screen: ScreenId): screen is RunScreen {
  return (RUN_SCREENS as readonly string[]).includes(screen);
}

function isScreenId(value: unknown): value is ScreenId {
  return typeof value === 'string' && ([...RUN_SCREENS, ...GLOBAL_SCREENS] as readonly string[]).includes(value);
}

/** The place saved by this tab before a reload, if any. */
export function savedPlace(): Place | undefined {
  try {
    const raw: unknown = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    if (typeof raw !== 'object' || raw === null) return undefined;
    const { screen, runId } = raw as { screen?: unknown; runId?: unknown };
    if (!isScreenId(screen)) return undefined;
    if (isRunScreen(screen) && typeof runId !== 'string') return undefined;
    return { screen, runId: typeof runId === 'string' ? runId : undefined };
  } catch {
    return undefined;
  }
}

interface Navigation extends Place {
  /** Goes to a screen; a run screen keeps the current run unless another is named. */
  go(screen: ScreenId, runId?: string): void;
}

export const useNavigation = create<Navigation>()((set, get) => ({
  screen: 'plans',
  runId: undefined,
  go(screen, runId) {
    const place: Place = { screen, runId: runId ?? get().runId };
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(place));
    } catch {
      // Storage may be unavailable (private mode): navigation still works, a reload starts at Plans.
    }
    set(place);
  },
}));
