import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SCHEME_REGISTRATION, createAppProtocolHandler, mimeTypeFor } from './protocol';
import { CONTENT_SECURITY_POLICY } from './security';

let dir: string;
let root: string;
let handle: (request: Request) => Promise<Response>;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-protocol-'));
  root = path.join(dir, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Reservoir</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log("hi")');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.css'), 'body{}');
  fs.writeFileSync(path.join(root, '.env'), 'SECRET=1');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside the root');
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
  handle = createAppProtocolHandler(root);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const get = (url: string, init?: RequestInit) => handle(new Request(url, init));

describe('app:// protocol (checklist 18)', () => {
  it('is registered as a standard, secure scheme without CORS or CSP bypass', () => {
    expect(APP_SCHEME_REGISTRATION.scheme).toBe('app');
    expect(APP_SCHEME_REGISTRATION.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true });
    expect(APP_SCHEME_REGISTRATION.privileges?.bypassCSP).toBeUndefined();
    expect(APP_SCHEME_REGISTRATION.privileges?.corsEnabled).toBeUndefined();
    expect(APP_SCHEME_REGISTRATION.privileges?.allowServiceWorkers).toBeUndefined();
  });

  it('serves index.html with its MIME type and the CSP header', async () => {
    const res = await get('app://reservoir/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Reservoir</title>');
  });

  it('serves / as index.html, and client-side routes asked for as HTML', async () => {
    expect(await (await get('app://reservoir/')).text()).toContain('Reservoir');
    const route = await get('app://reservoir/patients/42', { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>Reservoir</title>');
  });

  it('serves assets with the right MIME types', async () => {
    const js = await get('app://reservoir/assets/index-abc.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await get('app://reservoir/assets/index-abc.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(mimeTypeFor('x.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('x.unknown')).toBe('application/octet-stream');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('app://reservoir/index.html', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await get('app://reservoir/index.html', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('gives 404, with the CSP, for a missing file', async () => {
    const res = await get('app://reservoir/assets/missing.js');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await get('app://reservoir/nothing-here')).status).toBe(404); // not HTML: no fallback
  });

  it.each([
    'app://reservoir/../../etc/passwd',
    'app://reservoir/%2e%2e/%2e%2e/etc/passwd',
    'app://reservoir/..%2f..%2fsecret.txt',
    'app://reservoir/assets/..%2f..%2fsecret.txt',
    'app://reservoir/..%5c..%5csecret.txt',
    'app://reservoir/%2e%2e%2fsecret.txt',
    'app://reservoir/assets/%00index-abc.js',
    'app://reservoir/.env',
    'app://reservoir/assets/link.txt',
  ])('refuses path traversal: %s', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).not.toContain('outside the root');
    expect(body).not.toContain('SECRET');
    expect(body).not.toContain('root:');
  });

  it('never serves a file outside the root, even for HTML navigations', async () => {
    const res = await get('app://reservoir/../../etc/passwd', { headers: { accept: 'text/html' } });
    expect(await res.text()).not.toContain('root:');
  });

  it.each(['app://evil/index.html', 'app://reservoir.evil/index.html', 'app://reservoir:99/index.html', 'https://reservoir/index.html', 'file:///index.html'])(
    'refuses foreign hosts and schemes: %s',
    async (url) => {
      expect((await get(url)).status).toBe(404);
    },
  );

  it('refuses URLs with credentials (which a fetch Request cannot even carry)', async () => {
    const request = { url: 'app://u:p@reservoir/index.html', method: 'GET', headers: new Headers() } as Request;
    expect((await handle(request)).status).toBe(404);
  });

  it('answers 400 for a path that is not valid percent-encoding', async () => {
    expect((await get('app://reservoir/%E0%A4%A.js')).status).toBe(400);
  });
});
