import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { ReservoirServices, SessionSlot } from '../services/app';
import { fail, type AppError } from '../../shared/contract/result';
import { CONTENT_SECURITY_POLICY, securityHeaders } from '../../shared/csp';
import { chromiumPdfRenderer } from '../services/features/reports/pdf-chromium';

/** The same Content-Security-Policy as the Electron shell. */
export { CONTENT_SECURITY_POLICY };

/** The browser shell's security headers, on every response. */
const SECURITY_HEADERS = securityHeaders('no-store');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

export const COOKIE_NAME = 'reservoir_token';
/** The signed-in session (set by `session.login`/`setup`, cleared by `logout`): HttpOnly, so scripts never see it. */
export const SESSION_COOKIE = 'reservoir_session';
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
const MAX_BODY_BYTES = 1024 * 1024;

export interface WebShellOptions {
  services: ReservoirServices;
  /** The built renderer (index.html and assets/). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** Fixed only by tests; otherwise a fresh random token per run. */
  token?: string;
}

export interface WebShell {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves the renderer and the contract's handlers on loopback. Every request needs the per-run token:
 * `/?token=…` once (it becomes an HttpOnly, SameSite=Strict cookie), or the cookie, or an
 * `Authorization: Bearer …` header. Without it: 401, and nothing is read or written.
 * On top of the token, requests need a signed-in session (the `reservoir_session` cookie), checked
 * by `dispatch` like the Electron shell's.
 */
export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const host = options.host ?? '127.0.0.1';
  const rendererDir = path.resolve(options.rendererDir);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      console.error('[reservoir web] request failed:', (e as Error).message);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error');
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    // Refuse DNS-rebinding: only the names this server actually answers on.
    if (!isAllowedHost(hostHeader, host)) {
      send(res, 421, 'text/plain; charset=utf-8', 'Misdirected request');
      return;
    }

    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && req.method === 'GET') {
      if (!tokensEqual(queryToken, token)) {
        send(res, 401, 'text/plain; charset=utf-8', 'Unauthorized: the token in the address is not this run’s token.');
        return;
      }
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${COOKIE_NAME}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
      });
      res.end();
      return;
    }

    if (!hasValidToken(req, token)) {
      send(res, 401, 'text/plain; charset=utf-8', 'Unauthorized: open the address printed by `npm run web`, with its token.');
      return;
    }

    // A finished report export, once, for the one-time key `reports.export.save` gave (and audited).
    if (url.pathname.startsWith('/exports/') && req.method === 'GET') {
      const [, , jobId = '', key = ''] = url.pathname.split('/');
      const file = options.services.reports?.takeDownload(jobId, key) ?? null;
      if (file === null) {
        send(res, 404, 'text/plain; charset=utf-8', 'This export is not available: it was already downloaded, cancelled, or the shell restarted.');
        return;
      }
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': file.contentType,
        'Content-Length': String(file.data.length),
        'Content-Disposition': `attachment; filename="${file.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
      });
      res.end(file.data);
      return;
    }

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') {
        sendJson(res, 405, fail('invalid_input', 'Requests must be sent with POST.'));
        return;
      }
      const origin = req.headers.origin;
      if (origin !== undefined && !isAllowedHost(safeHostOf(origin), host)) {
        sendJson(res, 403, fail('forbidden', 'Requests from another site are refused.'));
        return;
      }
      const name = decodeURIComponent(url.pathname.slice('/api/'.length));
      const body = await readBody(req);
      if (!body.ok) {
        res.setHeader('Connection', 'close');
        sendJson(res, body.status, { ok: false, error: body.error });
        return;
      }
      const before = readCookie(req, SESSION_COOKIE);
      const slot: SessionSlot = { id: before !== null && SESSION_ID.test(before) ? before : null };
      const result = await options.services.dispatch(name, body.value, slot);
      // Signed in, out, or the session ended (role change, deactivation): the cookie follows the slot.
      if (slot.id !== before) {
        res.setHeader(
          'Set-Cookie',
          slot.id === null
            ? `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`
            : `${SESSION_COOKIE}=${slot.id}; HttpOnly; SameSite=Strict; Path=/`,
        );
      }
      sendJson(res, 200, result);
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed');
      return;
    }
    serveStatic(url.pathname, res, rendererDir);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  // Report PDFs: headless Chromium prints this shell's own print view (needs the built renderer).
  if (fs.existsSync(path.join(rendererDir, 'index.html'))) {
    const origin = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : shownHost}:${port}`;
    options.services.reports?.configure({ pdf: chromiumPdfRenderer({ origin, token }) });
  }
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function isAllowedHost(hostHeader: string, boundHost: string): boolean {
  const name = hostHeader.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (name === '127.0.0.1' || name === 'localhost' || name === '::1') return true;
  return name === boundHost.replace(/^\[|\]$/g, '');
}

function safeHostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return '';
  }
}

function tokensEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

function hasValidToken(req: http.IncomingMessage, token: string): boolean {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && tokensEqual(auth.slice(7), token)) return true;
  const cookies = (req.headers.cookie ?? '').split(';').map((c) => c.trim());
  return cookies.some((c) => c.startsWith(`${COOKIE_NAME}=`) && tokensEqual(c.slice(COOKIE_NAME.length + 1), token));
}

function readCookie(req: http.IncomingMessage, name: string): string | null {
  for (const c of (req.headers.cookie ?? '').split(';')) {
    const trimmed = c.trim();
    if (trimmed.startsWith(`${name}=`)) return trimmed.slice(name.length + 1);
  }
  return null;
}

/** The parsed JSON body, or an error with the HTTP status to answer it with. */
type Body = { ok: true; value: unknown } | { ok: false; error: AppError; status: 400 | 413 };

function readBody(req: http.IncomingMessage): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: Body) => {
      if (!done) {
        done = true;
        resolve(r);
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Stop reading; the answer is sent with `Connection: close`, which drops the rest.
        req.removeAllListeners('data');
        req.pause();
        finish({ ...fail('invalid_input', 'The request is larger than 1 MiB.'), status: 413 });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (raw.trim() === '') return finish({ ok: true, value: {} });
      try {
        finish({ ok: true, value: JSON.parse(raw) as unknown });
      } catch {
        finish({ ...fail('invalid_input', 'The request body is not valid JSON.'), status: 400 });
      }
    });
    req.on('error', () => finish({ ...fail('invalid_input', 'The request could not be read.'), status: 400 }));
  });
}

function serveStatic(pathname: string, res: http.ServerResponse, rendererDir: string): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    send(res, 400, 'text/plain; charset=utf-8', 'Bad path');
    return;
  }
  const relative = path.normalize(decoded).replace(/^([/\\])+/, '');
  let file = path.join(rendererDir, relative);
  if (file !== rendererDir && !file.startsWith(rendererDir + path.sep)) {
    send(res, 404, 'text/plain; charset=utf-8', 'Not found');
    return;
  }
  // Single-page app: paths without an extension are the app itself.
  if (relative === '' || path.extname(relative) === '') file = path.join(rendererDir, 'index.html');
  fs.readFile(file, (err, data) => {
    if (err) {
      send(res, 404, 'text/plain; charset=utf-8', 'Not found');
      return;
    }
    send(res, 200, MIME[path.extname(file)] ?? 'application/octet-stream', data);
  });
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}
