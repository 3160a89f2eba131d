import { closest, quoteShort, shown } from '../describe';
import type { ProblemDraft } from '../draft';
import { entriesOf, isRecord, problem, textOf, type SemanticContext } from './raw';

// Uploads name artifacts and contacts name their backups; each must name something declared.

export function checkArtifactReferences({ document }: SemanticContext): ProblemDraft[] {
  const declared = new Set(entriesOf(document, 'artifacts').flatMap(({ item }) => textOf(item, 'id') ?? []));
  const problems: ProblemDraft[] = [];
  for (const { index, item } of entriesOf(document, 'steps')) {
    const uploads = [
      { upload: item['upload'], path: ['steps', index, 'upload', 'artifact'] },
      { upload: isRecord(item['rollback']) ? item['rollback']['upload'] : undefined, path: ['steps', index, 'rollback', 'upload', 'artifact'] },
    ];
    for (const { upload, path } of uploads) {
      const artifact = textOf(upload, 'artifact');
      if (artifact === undefined || declared.has(artifact)) continue;
      const suggestion = closest(artifact, [...declared]);
      problems.push(
        problem(
          'ARTIFACT_UNDECLARED',
          path,
          quoteShort(artifact),
          'the id of an artifact in the artifacts section',
          `No artifact has the id ${shown(artifact)}${suggestion ? `; did you mean ${shown(suggestion)}?` : '; declare it under artifacts with its path and sha256.'}`,
        ),
      );
    }
  }
  return problems;
}

export function checkContactBackups({ document }: SemanticContext): ProblemDraft[] {
  const contacts = entriesOf(document, 'contacts');
  const ids = contacts.flatMap(({ item }) => textOf(item, 'id') ?? []);
  const problems: ProblemDraft[] = [];
  for (const { index, item } of contacts) {
    const id = textOf(item, 'id');
    const backup = textOf(item, 'backup');
    if (backup === undefined) {
      if (item['key'] === true) {
        problems.push(
          problem(
            'CONTACT_NO_BACKUP',
            ['contacts', index, 'key'],
            'a key person without backup',
            'a backup for each key person',
            `${id === undefined ? 'This contact' : shown(id)} is a key person without a backup; name one so that the work can go on if they cannot be reached.`,
            'warning',
          ),
        );
      }
      continue;
    }
    if (backup === id) {
      problems.push(
        problem('CONTACT_BACKUP_SELF', ['contacts', index, 'backup'], quoteShort(backup), 'the id of another contact', `${shown(backup)} cannot be their own backup; name another contact.`),
      );
    } else if (!ids.includes(backup)) {
      const suggestion = closest(backup, ids);
      problems.push(
        problem(
          'CONTACT_UNKNOWN',
          ['contacts', index, 'backup'],
          quoteShort(backup),
          'the id of another contact',
          `No contact has the id ${shown(backup)}${suggestion ? `; did you mean ${shown(suggestion)}?` : '; add the contact or fix the id.'}`,
        ),
      );
    }
  }
  return problems;
}
