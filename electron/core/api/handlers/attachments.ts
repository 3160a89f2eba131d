import { AppError } from '../../../../shared/errors';
import type { Handlers } from '../dispatch';

// PLACEHOLDER while the report helper builds these methods this session; replaced before the work lands.
type AttachmentMethod = 'runs.attachments.add' | 'runs.attachments.list' | 'runs.attachments.read' | 'reports.list' | 'reports.verify' | 'reports.archive.read';

const notYet = (): never => {
  throw new AppError('INTERNAL', 'This part of Fieldrun is not built yet.');
};

export function attachmentHandlers(): Pick<Handlers, AttachmentMethod> {
  return {
    'runs.attachments.add': notYet,
    'runs.attachments.list': notYet,
    'runs.attachments.read': notYet,
    'reports.list': notYet,
    'reports.verify': notYet,
    'reports.archive.read': notYet,
  };
}
