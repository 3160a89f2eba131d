import { readFile } from 'node:fs/promises';
import { mimeTypeOf, resolveRendererFile } from '../shared-transport/rendererFiles';
import { APP_HOST, APP_SCHEME, appResponseHeaders } from './security';

/** Which file of the built renderer an app:// request gets, or none (404). */
export function appRequestFile(rendererDir: string, requestUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return undefined;
  // URL parsing has already resolved plain `..`; the raw path is checked again for encoded forms.
  const rawPath = requestUrl.slice(`${APP_SCHEME}://${APP_HOST}`.length);
  return resolveRendererFile(rendererDir, rawPath) === undefined ? undefined : resolveRendererFile(rendererDir, url.pathname);
}

/** The app:// handler: GET only, files under the renderer folder only, CSP on every answer. */
export async function answerAppRequest(rendererDir: string, request: { readonly url: string; readonly method: string }): Promise<Response> {
  const file = request.method === 'GET' ? appRequestFile(rendererDir, request.url) : undefined;
  if (file === undefined) return new Response('Not found', { status: 404, headers: appResponseHeaders('text/plain') });
  return new Response(await readFile(file), { status: 200, headers: appResponseHeaders(mimeTypeOf(file)) });
}
