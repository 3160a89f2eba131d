import { AppError } from '../../../../shared/errors';
import type { Handlers } from '../dispatch';

// PLACEHOLDER while the report helper builds these methods this session; replaced before the work lands.
type IdentityMethod = 'identity.get' | 'identity.create' | 'identity.unlock' | 'diagnostics.export';

const notYet = (): never => {
  throw new AppError('INTERNAL', 'This part of Fieldrun is not built yet.');
};

export function identityHandlers(): Pick<Handlers, IdentityMethod> {
  return {
    'identity.get': notYet,
    'identity.create': notYet,
    'identity.unlock': notYet,
    'diagnostics.export': notYet,
  };
}
