// The name an attachment has in a report bundle: `attachments/<first 12 hex of its SHA-256>-<plain
// name>`. Pure, so report.json can name the file without touching the disk, and two attachments
// with the same bytes and name share one file.

import { ATTACHMENT_NAME } from '../bundleManifest';

const HASH_PREFIX = 12;
/** ATTACHMENT_NAME allows 100 characters; the hash prefix and its dash take 13. */
const MAX_PLAIN = 100 - HASH_PREFIX - 1;

/** A file name reduced to letters, digits, '.', '_' and '-', keeping its extension when it is short. */
export function plainFileName(name: string): string {
  const cleaned = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/_+/g, '_');
  const dot = cleaned.lastIndexOf('.');
  const extension = dot >= 0 && dot < cleaned.length - 1 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  const stem = (extension === '' ? cleaned : cleaned.slice(0, dot))
    .replace(/^[._-]+/, '')
    .replace(/[._-]+$/, '')
    .slice(0, MAX_PLAIN - extension.length);
  return `${stem === '' ? 'attachment' : stem}${extension}`.slice(0, MAX_PLAIN);
}

export function attachmentBundleName(sha256: string, name: string): string {
  const bundleName = `${sha256.slice(0, HASH_PREFIX)}-${plainFileName(name)}`;
  // The hash prefix starts the name with a hex digit, so this holds for every input; checked anyway.
  if (!ATTACHMENT_NAME.test(bundleName)) throw new TypeError(`attachment name ${bundleName} is not plain`);
  return bundleName;
}
