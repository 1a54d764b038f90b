/**
 * The Electron shell's security rules, as small pure pieces that run (and are tested) under plain Node.
 * Only types come from `electron`; `main.ts` applies these to the real objects.
 * Each rule names the item of Electron's security checklist it implements
 * (https://www.electronjs.org/docs/latest/tutorial/security).
 */
import type { Session, WebContents, WebPreferences } from 'electron';

/** Local content is served only from this origin (checklist 18: a custom protocol, never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'reservoir';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The window's web preferences (checklist 2, 3, 4, 6, 8, 9, 10, 11, 12).
 * `enableBlinkFeatures` is deliberately absent. DevTools only in development.
 */
export function secureWebPreferences(preloadPath: string, options: { devTools?: boolean } = {}): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    // Chromium's spellchecker downloads dictionaries on Linux and Windows; clinical text stays local.
    spellcheck: false,
    devTools: options.devTools ?? false,
  };
}

/** The Content-Security-Policy sent with every `app://` response (checklist 7): see shared/csp.ts. */
export { CONTENT_SECURITY_POLICY } from '../../shared/csp';

function parseUrl(raw: unknown): URL | null {
  if (typeof raw !== 'string') return null;
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** True for URLs on our own origin, `app://reservoir/…`, and nothing else. */
export function isAppUrl(raw: unknown): boolean {
  const url = parseUrl(raw);
  return (
    url !== null &&
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname.toLowerCase() === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}

const MAX_EXTERNAL_URL_LENGTH = 2048;

/**
 * A link the system browser may open (checklist 15): `https:` with a host name, no credentials,
 * no whitespace or control characters. Returns the normalised URL to open, or null.
 * Everything else (`http:`, `file:`, `javascript:`, `data:`, `app:`, custom handlers) is refused.
 */
export function externalUrlToOpen(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_EXTERNAL_URL_LENGTH) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) return null;
  const url = parseUrl(raw);
  if (url === null || url.protocol !== 'https:') return null;
  if (url.hostname === '' || url.username !== '' || url.password !== '') return null;
  return url.href;
}

export function isAllowedExternalUrl(raw: unknown): boolean {
  return externalUrlToOpen(raw) !== null;
}

/**
 * Requests the session may make at all (checklist 1, 18): our own origin, in-page `data:`/`blob:`
 * URLs, and DevTools' own pages. No http(s), no file://, no other scheme.
 */
export function isAllowedRequestUrl(raw: unknown): boolean {
  if (isAppUrl(raw)) return true;
  const url = parseUrl(raw);
  if (url === null) return false;
  if (url.protocol === 'data:' || url.protocol === 'devtools:') return true;
  // blob: URLs carry their creator's origin: blob:app://reservoir/<uuid>
  if (url.protocol === 'blob:') return isAppUrl(url.pathname);
  return false;
}

/** The parts of a frame the IPC sender check reads; Electron's `WebFrameMain` has them all. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
  readonly frameTreeNodeId: number;
}

/**
 * Checklist 17: an IPC message is trusted only when it comes from our window's top frame
 * (not a subframe, not another window) while that frame shows our own origin.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, mainFrame: SenderFrame | null | undefined): boolean {
  if (!frame || !mainFrame) return false;
  if (frame.parent !== null) return false;
  if (frame !== mainFrame && frame.frameTreeNodeId !== mainFrame.frameTreeNodeId) return false;
  return isAppUrl(frame.url);
}

/** Navigation guard (checklist 13): anything that would leave our origin is prevented. */
export function preventForeignNavigation(event: { url: string; preventDefault(): void }): void {
  if (!isAppUrl(event.url)) event.preventDefault();
}

export type OpenExternal = (url: string) => Promise<void> | void;

/**
 * `setWindowOpenHandler` (checklist 14, 15): never a new Electron window. A checked https link is
 * handed to the system browser; anything else is dropped.
 */
export function createWindowOpenHandler(openExternal: OpenExternal, log: (message: string) => void = console.warn) {
  return (details: { url: string }): { action: 'deny' } => {
    const url = externalUrlToOpen(details.url);
    if (url === null) {
      log(`[reservoir] refused to open ${JSON.stringify(String(details.url).slice(0, 200))}`);
    } else {
      Promise.resolve()
        .then(() => openExternal(url))
        .catch((e: unknown) => log(`[reservoir] the system browser could not open ${url}: ${(e as Error).message}`));
    }
    return { action: 'deny' };
  };
}

/** Checklist 11, 12: no `<webview>` is ever attached (the tag is also disabled in web preferences). */
export function preventWebviewAttach(event: { preventDefault(): void }): void {
  event.preventDefault();
}

/** Checklist 5: every permission request is refused… */
export function denyPermissionRequest(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}
/** …every permission check answers "no"… */
export function denyPermissionCheck(): boolean {
  return false;
}
/** …and no USB, HID, serial or Bluetooth device is permitted. */
export function denyDevicePermission(): boolean {
  return false;
}

/**
 * Guards for every web contents the app creates (`app.on('web-contents-created')`):
 * navigation, redirects, new windows, webviews.
 */
export function hardenWebContents(contents: WebContents, openExternal: OpenExternal): void {
  contents.on('will-navigate', (event) => preventForeignNavigation(event));
  contents.on('will-frame-navigate', (event) => preventForeignNavigation(event));
  contents.on('will-redirect', (event) => preventForeignNavigation(event));
  contents.on('will-attach-webview', (event) => preventWebviewAttach(event));
  contents.setWindowOpenHandler(createWindowOpenHandler(openExternal));
}

/** Session-wide rules: permissions denied, and no request leaves our own origin. */
export function lockDownSession(session: Session): void {
  session.setPermissionRequestHandler(denyPermissionRequest);
  session.setPermissionCheckHandler(denyPermissionCheck);
  session.setDevicePermissionHandler(denyDevicePermission);
  session.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => {
    const allowed = isAllowedRequestUrl(details.url);
    if (!allowed) console.warn(`[reservoir] blocked a request to ${details.url.slice(0, 200)}`);
    callback({ cancel: !allowed });
  });
}
