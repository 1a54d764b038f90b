/**
 * The `app://reservoir/` protocol: serves the built renderer (`dist/renderer`) to the window.
 * The handler is a plain `(Request) => Promise<Response>` built from a folder, so it runs (and is
 * tested) under Node; `main.ts` hands it to `protocol.handle`.
 */
import type { CustomScheme } from 'electron';
import fs from 'node:fs/promises';
import path from 'node:path';
import { securityHeaders } from '../../shared/csp';
import { APP_HOST, APP_SCHEME } from './security';

/**
 * Registered before `ready`. `standard` gives the scheme a real origin (relative URLs, storage,
 * same-origin module scripts); `secure` makes it a secure context. Deliberately not `corsEnabled`
 * (that would let other origins read our files), not `bypassCSP`, no service workers.
 */
export const APP_SCHEME_REGISTRATION: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function mimeTypeFor(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers on every response, errors included. */
export const SECURITY_HEADERS = securityHeaders('no-cache');

function textResponse(status: number, body: string, extra: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extra } });
}
const notFound = () => textResponse(404, 'Not found');

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** A page navigation (the browser asks for HTML): client-side routes get the app itself. */
function wantsHtml(request: Request): boolean {
  return (request.headers.get('accept') ?? '').toLowerCase().includes('text/html');
}

/**
 * Serves files under `rootDir` for `app://reservoir/<path>`:
 * - `/` is `index.html`; an extension-less path asked for as HTML (a client-side route) is too;
 * - any other path must name an existing file inside `rootDir` (symlinks resolved) or it is a 404;
 * - `..` or `.`-segments (also percent-encoded), backslashes, NUL, other hosts or schemes: 404;
 * - GET and HEAD only; every response carries the CSP and `nosniff`.
 */
export function createAppProtocolHandler(rootDir: string): (request: Request) => Promise<Response> {
  const root = path.resolve(rootDir);
  let realRoot: Promise<string> | null = null;

  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return notFound();
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.hostname.toLowerCase() !== APP_HOST || url.port !== '' || url.username !== '' || url.password !== '') {
      return notFound();
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return textResponse(405, 'Method not allowed', { Allow: 'GET, HEAD' });
    }

    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      return textResponse(400, 'Bad path');
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return notFound();
    const segments = decoded.split('/').filter((s) => s !== '');
    // `..` and `.` never reach the file system; neither do dot-files.
    if (segments.some((s) => s.startsWith('.'))) return notFound();

    const last = segments.at(-1) ?? '';
    const isRoute = segments.length === 0 || (path.extname(last) === '' && wantsHtml(request));
    const file = isRoute ? path.join(root, 'index.html') : path.join(root, ...segments);
    if (!isInside(root, file)) return notFound();

    let data: Uint8Array<ArrayBuffer>;
    try {
      realRoot ??= fs.realpath(root);
      const [resolvedRoot, resolvedFile] = await Promise.all([realRoot, fs.realpath(file)]);
      if (!isInside(resolvedRoot, resolvedFile)) return notFound();
      const stat = await fs.stat(resolvedFile);
      if (!stat.isFile()) return notFound();
      data = new Uint8Array(await fs.readFile(resolvedFile));
    } catch {
      realRoot = null; // the folder may appear later (a build running while the app starts)
      return notFound();
    }
    return new Response(request.method === 'HEAD' ? null : data, {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': mimeTypeFor(file), 'Content-Length': String(data.byteLength) },
    });
  };
}
