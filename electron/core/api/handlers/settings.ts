import { AppError } from '../../../../shared/errors';
import type { Handlers } from '../dispatch';

// PLACEHOLDER while the lead builds these methods this session; replaced before the work lands.
type SettingsMethod = 'credentials.list' | 'credentials.set' | 'credentials.remove' | 'system.status';

const notYet = (): never => {
  throw new AppError('INTERNAL', 'This part of Fieldrun is not built yet.');
};

export function settingsHandlers(): Pick<Handlers, SettingsMethod> {
  return {
    'credentials.list': notYet,
    'credentials.set': notYet,
    'credentials.remove': notYet,
    'system.status': notYet,
  };
}
