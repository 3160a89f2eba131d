import { AppError } from '../../../../shared/errors';
import type { Handlers } from '../dispatch';

// PLACEHOLDER while the outbox helper builds these methods this session; replaced before the work lands.
type OutboxMethod = 'outbox.list' | 'outbox.log' | 'outbox.syncNow' | 'outbox.retry' | 'sync.probe' | 'headOffice.get' | 'headOffice.set' | 'headOffice.clear' | 'headOffice.plans.list' | 'headOffice.plans.import';

const notYet = (): never => {
  throw new AppError('INTERNAL', 'This part of Fieldrun is not built yet.');
};

export function outboxHandlers(): Pick<Handlers, OutboxMethod> {
  return {
    'outbox.list': notYet,
    'outbox.log': notYet,
    'outbox.syncNow': notYet,
    'outbox.retry': notYet,
    'sync.probe': notYet,
    'headOffice.get': notYet,
    'headOffice.set': notYet,
    'headOffice.clear': notYet,
    'headOffice.plans.list': notYet,
    'headOffice.plans.import': notYet,
  };
}
