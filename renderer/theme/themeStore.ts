// The chosen theme (light, dark, high contrast, or as the system says), remembered on this laptop
// and applied to <html data-theme>. The system choice follows prefers-color-scheme and
// prefers-contrast live.
import { create } from 'zustand';

export const THEMES = ['system', 'light', 'dark', 'contrast'] as const;
export type ThemeChoice = (typeof THEMES)[number];
const STORAGE_KEY = 'fieldrun.theme';

function stored(): ThemeChoice {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return (THEMES as readonly (string | null)[]).includes(value) ? (value as ThemeChoice) : 'system';
  } catch {
    return 'system';
  }
}

function resolved(choice: ThemeChoice): Exclude<ThemeChoice, 'system'> {
  if (choice !== 'system') return choice;
  if (window.matchMedia('(prefers-contrast: more)').matches) return 'contrast';
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function apply(choice: ThemeChoice): void {
  document.documentElement.dataset['theme'] = resolved(choice);
}

interface ThemeStore {
  readonly choice: ThemeChoice;
  choose(choice: ThemeChoice): void;
}

export const useTheme = create<ThemeStore>()((set) => ({
  choice: stored(),
  choose(choice) {
    try {
      localStorage.setItem(STORAGE_KEY, choice);
    } catch {
      // not remembered, still applied
    }
    apply(choice);
    set({ choice });
  },
}));

/** Applies the stored theme at start and follows the system while the choice is "system". */
export function startTheme(): void {
  apply(useTheme.getState().choice);
  for (const query of ['(prefers-color-scheme: dark)', '(prefers-contrast: more)']) {
    window.matchMedia(query).addEventListener('change', () => apply(useTheme.getState().choice));
  }
}
