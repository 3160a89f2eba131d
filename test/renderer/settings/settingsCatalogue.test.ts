import { describe, expect, it } from 'vitest';
import { IdentityStatusSchema } from '../../../shared/contract';
import { en } from '../../../renderer/i18n/messages';
import { THEMES } from '../../../renderer/theme/themeStore';

// The Settings screen builds keys from what the core answers (identity state, store kind) and from
// the theme list: each must exist, or the screen would show a raw key to the technician.
describe('settings: every state the core can answer has words', () => {
  it('identity states and key stores', () => {
    for (const state of IdentityStatusSchema.shape.state.options) expect(en[`settings.identity.${state}`]).toBeTruthy();
    for (const kind of IdentityStatusSchema.shape.storeKind.options) expect(en[`settings.store.${kind}`]).toBeTruthy();
  });

  it('themes and head-office sign-in kinds', () => {
    for (const theme of THEMES) expect(en[`theme.${theme}`]).toBeTruthy();
    for (const kind of ['basic', 'bearer'] as const) expect(en[`settings.auth.${kind}`]).toBeTruthy();
  });

  it('no string of the screen holds a placeholder the screen does not fill', () => {
    const settingsKeys = Object.entries(en).filter(([k]) => k.startsWith('settings.'));
    for (const [, text] of settingsKeys) expect(text).not.toMatch(/\{\s*\}/);
  });
});
