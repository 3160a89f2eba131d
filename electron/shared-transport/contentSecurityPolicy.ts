/**
 * The renderer's Content Security Policy, one string for both ways it is served (the Electron
 * app:// protocol and the browser-mode host), so the two cannot drift.
 * `connect-src` names the only places the page may talk to: itself (app:// in Electron, the
 * host's own origin in the browser) and, in browser mode, the host's WebSocket.
 */
export function contentSecurityPolicy(connectSources: readonly string[] = []): string {
  const directives: readonly (readonly [string, string])[] = [
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    // No inline styles: React sets style props through the CSSOM, which style-src does not govern.
    ['style-src', "'self'"],
    // Photos and drawn signatures are shown from data/blob URLs made by the page itself.
    ['img-src', "'self' data: blob:"],
    ['font-src', "'self'"],
    ['connect-src', ["'self'", ...connectSources].join(' ')],
    ['worker-src', "'self' blob:"],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['frame-src', "'none'"],
    ['frame-ancestors', "'none'"],
    ['form-action', "'none'"],
  ];
  return directives.map(([name, value]) => `${name} ${value}`).join('; ');
}

/** Headers that every renderer response carries besides the CSP. */
export const RENDERER_RESPONSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
});
