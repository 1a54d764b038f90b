import { EventEmitter } from 'node:events';
import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  createWindowOpenHandler,
  denyDevicePermission,
  denyPermissionCheck,
  denyPermissionRequest,
  externalUrlToOpen,
  hardenWebContents,
  isAllowedExternalUrl,
  isAllowedRequestUrl,
  isAppUrl,
  isTrustedSender,
  lockDownSession,
  preventForeignNavigation,
  secureWebPreferences,
  type SenderFrame,
} from './security';

const navEvent = (url: string) => ({ url, preventDefault: vi.fn() });

describe('window web preferences (checklist 2, 3, 4, 6, 8, 9, 10, 11)', () => {
  const prefs = secureWebPreferences('/app/dist-electron/preload.cjs');

  it('turns every security flag the safe way', () => {
    expect(prefs.preload).toBe('/app/dist-electron/preload.cjs');
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('enables no Blink feature and leaves DevTools off unless asked (development)', () => {
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs.devTools).toBe(false);
    expect(secureWebPreferences('/p', { devTools: true }).devTools).toBe(true);
  });
});

describe('Content-Security-Policy (checklist 7)', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );

  it('lets scripts come from the app itself only', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
  });

  it('has no eval, no inline script, no wildcard, no remote scheme', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toContain('wasm-unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toContain('*');
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|file:|blob:/);
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('forbids framing, plugins, base rewriting and form posts', () => {
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('frame-src')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
  });
});

describe('our origin', () => {
  it('is app://reservoir and nothing that looks like it', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://reservoir/assets/index.js')).toBe(true);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('app://reservoir.evil.example/index.html')).toBe(false);
    expect(isAppUrl('app://user:pw@reservoir/index.html')).toBe(false);
    expect(isAppUrl('app://reservoir:8080/index.html')).toBe(false);
    expect(isAppUrl('https://reservoir/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('navigation guard (checklist 13)', () => {
  it.each(['https://evil.example/', 'http://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<p>x', 'app://other/index.html'])(
    'prevents navigation to %s',
    (url) => {
      const event = navEvent(url);
      preventForeignNavigation(event);
      expect(event.preventDefault).toHaveBeenCalled();
    },
  );

  it('lets the app reload its own pages', () => {
    const event = navEvent('app://reservoir/index.html');
    preventForeignNavigation(event);
    expect(event.preventDefault).not.toHaveBeenCalled();
  });
});

describe('links for the system browser (checklist 15)', () => {
  it('accepts plain https links with a host', () => {
    expect(isAllowedExternalUrl('https://www.medtronic.com/manuals')).toBe(true);
    expect(externalUrlToOpen('https://example.org/a b'.replace(' ', '%20'))).toBe('https://example.org/a%20b');
  });

  it.each([
    'http://example.org/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'data:text/html,hi',
    'app://reservoir/index.html',
    'https://user:secret@example.org/',
    'https://',
    'https:',
    ' https://example.org/',
    'https://example.org/\nx',
    'smb://server/share',
    'ms-settings:',
    '',
    `https://example.org/${'a'.repeat(3000)}`,
  ])('refuses %j', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('refuses values that are not strings', () => {
    expect(isAllowedExternalUrl(undefined)).toBe(false);
    expect(isAllowedExternalUrl({ toString: () => 'https://example.org' })).toBe(false);
  });
});

describe('new windows (checklist 14)', () => {
  it('always denies, and hands a checked https link to the system browser', async () => {
    const openExternal = vi.fn(async () => {});
    const handler = createWindowOpenHandler(openExternal, () => {});
    expect(handler({ url: 'https://example.org/help' })).toEqual({ action: 'deny' });
    await vi.waitFor(() => expect(openExternal).toHaveBeenCalledWith('https://example.org/help'));
  });

  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'app://reservoir/index.html', 'http://example.org/'])('denies %s and opens nothing', async (url) => {
    const openExternal = vi.fn(async () => {});
    const handler = createWindowOpenHandler(openExternal, () => {});
    expect(handler({ url })).toEqual({ action: 'deny' });
    await new Promise((r) => setTimeout(r, 10));
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('survives a system browser that fails', async () => {
    const log = vi.fn();
    const handler = createWindowOpenHandler(() => Promise.reject(new Error('no browser')), log);
    expect(handler({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith(expect.stringContaining('no browser')));
  });
});

/** A stand-in for WebContents: an event emitter with setWindowOpenHandler. */
class FakeContents extends EventEmitter {
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
}

describe('guards on every web contents', () => {
  const contents = new FakeContents();
  const openExternal = vi.fn(async () => {});
  hardenWebContents(contents as unknown as WebContents, openExternal);

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])('%s to a foreign URL is prevented', (eventName) => {
    const foreign = navEvent('https://evil.example/');
    contents.emit(eventName, foreign);
    expect(foreign.preventDefault).toHaveBeenCalled();
    const own = navEvent('app://reservoir/index.html');
    contents.emit(eventName, own);
    expect(own.preventDefault).not.toHaveBeenCalled();
  });

  it('prevents every <webview> from attaching (checklist 11, 12)', () => {
    const event = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', event, { nodeIntegration: true }, { src: 'https://evil.example' });
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('installs a window-open handler that denies', () => {
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
  });
});

describe('permissions (checklist 5)', () => {
  it('refuses every request and every check', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen', 'unknown']) {
      const callback = vi.fn();
      denyPermissionRequest({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(denyPermissionCheck()).toBe(false);
    expect(denyDevicePermission()).toBe(false);
  });

  it('are installed on the session, with a request filter that keeps to our origin', () => {
    const calls: Record<string, unknown> = {};
    let beforeRequest: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | null = null;
    const session = {
      setPermissionRequestHandler: (h: unknown) => (calls.request = h),
      setPermissionCheckHandler: (h: unknown) => (calls.check = h),
      setDevicePermissionHandler: (h: unknown) => (calls.device = h),
      webRequest: { onBeforeRequest: (_f: unknown, h: typeof beforeRequest) => (beforeRequest = h) },
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    lockDownSession(session as unknown as Session);
    expect(calls.request).toBe(denyPermissionRequest);
    expect(calls.check).toBe(denyPermissionCheck);
    expect(calls.device).toBe(denyDevicePermission);
    const answer = (url: string) => {
      let result: { cancel: boolean } | null = null;
      beforeRequest!({ url }, (r) => (result = r));
      return result;
    };
    expect(answer('app://reservoir/assets/index.js')).toEqual({ cancel: false });
    expect(answer('https://evil.example/x.js')).toEqual({ cancel: true });
    expect(answer('file:///etc/passwd')).toEqual({ cancel: true });
    warn.mockRestore();
  });
});

describe('requests the session may make (checklist 1, 18)', () => {
  it('allows our origin and in-page URLs only', () => {
    expect(isAllowedRequestUrl('app://reservoir/assets/index.css')).toBe(true);
    expect(isAllowedRequestUrl('data:image/png;base64,AAAA')).toBe(true);
    expect(isAllowedRequestUrl('blob:app://reservoir/0b0e7c5e-3b7e-4bd3-9c53-1b8f1f5d1b1a')).toBe(true);
    expect(isAllowedRequestUrl('blob:https://evil.example/0b0e7c5e')).toBe(false);
    expect(isAllowedRequestUrl('https://evil.example/')).toBe(false);
    expect(isAllowedRequestUrl('http://127.0.0.1:8080/')).toBe(false);
    expect(isAllowedRequestUrl('ws://127.0.0.1:8080/')).toBe(false);
    expect(isAllowedRequestUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedRequestUrl('app://other/index.html')).toBe(false);
  });
});

describe('IPC sender check (checklist 17)', () => {
  const top: SenderFrame = { url: 'app://reservoir/index.html', parent: null, frameTreeNodeId: 1 };

  it('trusts our window top frame on our origin', () => {
    expect(isTrustedSender(top, top)).toBe(true);
    expect(isTrustedSender({ ...top }, top)).toBe(true); // the same frame seen through another wrapper
  });

  it('refuses subframes, other windows, foreign URLs and missing frames', () => {
    expect(isTrustedSender({ url: 'app://reservoir/index.html', parent: top, frameTreeNodeId: 2 }, top)).toBe(false);
    expect(isTrustedSender({ url: 'app://reservoir/index.html', parent: null, frameTreeNodeId: 7 }, top)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null, frameTreeNodeId: 1 }, { ...top, url: 'https://evil.example/' })).toBe(false);
    expect(isTrustedSender({ url: 'file:///index.html', parent: null, frameTreeNodeId: 1 }, top)).toBe(false);
    expect(isTrustedSender(null, top)).toBe(false);
    expect(isTrustedSender(top, null)).toBe(false);
  });
});
