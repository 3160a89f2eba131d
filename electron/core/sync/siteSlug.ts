// The site's folder name on the head-office server. Only [a-z0-9-] survives, so a site named
// `../../x` or `Zürich / 3` can never address a folder outside its own, and every WebDAV server
// and file system stores the name unchanged.
import { createHash } from 'node:crypto';

const MAX_SLUG_LENGTH = 60;

export function siteSlug(site: string): string {
  const slug = site
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '') // Zürich → Zurich: keep the letter, drop the accent
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
  if (slug.length > 0) return slug;
  // A name with no Latin letters or digits (東京, "..") still needs a stable folder of its own.
  return `site-${createHash('sha256').update(site, 'utf8').digest('hex').slice(0, 12)}`;
}
