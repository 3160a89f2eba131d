// The theme: as the system says, light, dark or high contrast; applied at once and remembered.
import { t } from '../../i18n/t';
import { THEMES, useTheme } from '../../theme/themeStore';

export function ThemeSection() {
  const choice = useTheme((s) => s.choice);
  const choose = useTheme((s) => s.choose);
  return (
    <section className="card stack" aria-labelledby="settings-theme-h">
      <h2 id="settings-theme-h">{t('settings.theme')}</h2>
      <fieldset className="row">
        <legend>{t('theme.label')}</legend>
        {THEMES.map((theme) => (
          <label key={theme}>
            <input type="radio" name="theme" checked={choice === theme} onChange={() => choose(theme)} /> {t(`theme.${theme}`)}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
