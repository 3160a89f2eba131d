import { realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Maps a request path (from an app:// URL or an HTTP request) to a file of the built renderer,
 * or to nothing. Only regular files under `root` are ever answered: `..` segments (plain or
 * percent-encoded), backslashes, NUL bytes and links that lead outside are refused. `/` and
 * unknown paths without an extension fall back to index.html (the renderer routes by itself).
 */
export function resolveRendererFile(root: string, requestPath: string): string | undefined {
  const segments = safeSegments(requestPath);
  if (segments === undefined) return undefined;
  const realRoot = realpathOrUndefined(resolve(root));
  if (realRoot === undefined) return undefined;
  const wanted = segments.length === 0 ? 'index.html' : join(...segments);
  const found = regularFileUnder(realRoot, wanted);
  if (found !== undefined) return found;
  const last = segments[segments.length - 1];
  return last !== undefined && extname(last) !== '' ? undefined : regularFileUnder(realRoot, 'index.html');
}

function safeSegments(requestPath: string): string[] | undefined {
  const pathOnly = requestPath.split(/[?#]/, 1)[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathOnly);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..' || s.includes(':'))) return undefined;
  return segments;
}

function regularFileUnder(realRoot: string, wanted: string): string | undefined {
  const real = realpathOrUndefined(join(realRoot, wanted));
  if (real === undefined) return undefined;
  const rel = relative(realRoot, real);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return undefined;
  try {
    return statSync(real).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

export function mimeTypeOf(file: string): string {
  return MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}
