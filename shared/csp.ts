/**
 * The Content-Security-Policy of the console, the same in both shells: the Electron `app://`
 * protocol and the browser shell send it with every response. Scripts only from the app itself (no
 * inline script, no eval, no remote origin); inline styles are allowed because React and recharts
 * set style attributes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "manifest-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The security headers both shells send with every response, errors included. `cacheControl`:
 * the app:// protocol serves only the app's own files (`no-cache`, revalidated); the browser shell
 * also answers with patient data over HTTP, which must never be stored (`no-store`).
 */
export function securityHeaders(cacheControl: 'no-cache' | 'no-store'): Readonly<Record<string, string>> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': cacheControl,
  };
}
