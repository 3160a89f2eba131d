// Reading a WebDAV 207 Multi-Status answer without an XML library: only the few properties sync
// needs (href, collection or not, length, last modified), whatever namespace prefix the server
// chose (nginx `D:`, Apache `lp1:`, Nextcloud `d:`).

export interface DavEntry {
  /** the decoded path of the entry, e.g. `/reports/plans/site.yaml` */
  path: string;
  /** the last path segment, decoded */
  name: string;
  isCollection: boolean;
  length?: number;
  lastModified?: string;
}

const RESPONSE = /<(?:[\w.-]+:)?response\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?response>/g;

export function parseMultistatus(xml: string): DavEntry[] {
  const entries: DavEntry[] = [];
  for (const match of xml.matchAll(RESPONSE)) {
    const block = match[1] ?? '';
    const href = element(block, 'href');
    if (href === undefined) continue;
    let path: string;
    try {
      path = decodeURIComponent(new URL(decodeXml(href.trim()), 'http://x').pathname);
    } catch {
      continue; // an href we cannot read is not an entry we can use
    }
    const resourceType = element(block, 'resourcetype') ?? '';
    const entry: DavEntry = {
      path,
      name: path.replace(/\/+$/, '').split('/').pop() ?? '',
      isCollection: /<(?:[\w.-]+:)?collection\b/.test(resourceType),
    };
    const length = element(block, 'getcontentlength');
    if (length !== undefined && /^\s*\d+\s*$/.test(length)) entry.length = Number(length);
    const modified = element(block, 'getlastmodified');
    if (modified !== undefined) entry.lastModified = decodeXml(modified.trim());
    entries.push(entry);
  }
  return entries;
}

/** Entries strictly inside `folderPath` (the folder itself, which depth 1 includes, left out). */
export function childrenOf(entries: DavEntry[], folderPath: string): DavEntry[] {
  const folder = folderPath.replace(/\/+$/, '');
  return entries.filter((e) => e.path.replace(/\/+$/, '') !== folder && e.name !== '');
}

function element(block: string, name: string): string | undefined {
  const re = new RegExp(`<(?:[\\w.-]+:)?${name}\\b[^>]*?(?:/>|>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}>)`);
  const m = re.exec(block);
  if (m === null) return undefined;
  return m[1] ?? '';
}

function decodeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    switch (e.toLowerCase()) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}
