/**
 * Live updates for a connected workstation's window: the clinic server's stream, opened with that
 * window's session (electron/remote/events.ts, plain Node), relayed to the window's renderer on the
 * one changes channel (`CHANGES_CHANNEL`; the preload checks each message), stopped when the window
 * closes. Electron's parts come in as arguments, so this runs under Node in tests.
 */
import { CHANGES_CHANNEL } from '../../shared/contract/names';
import type { ChangeNotice } from '../../shared/contract/changes';
import { openChangeStream, type ChangeStream, type ChangeStreamOptions } from '../remote/events';
import type { SessionSlot } from './ipc';

/** What this module needs of a BrowserWindow. */
export interface RelayWindow {
  readonly webContents: { send(channel: string, message: ChangeNotice | null): void; isDestroyed(): boolean };
  once(event: 'closed', listener: () => void): unknown;
}

export function relayChanges(
  win: RelayWindow,
  server: { url: string; fingerprint: string; workstation?: string },
  slot: () => SessionSlot,
  open: (options: ChangeStreamOptions) => ChangeStream = openChangeStream,
  log: (message: string) => void = (m) => console.error(m),
): ChangeStream {
  const stream = open({
    url: server.url,
    fingerprint: server.fingerprint,
    ...(server.workstation === undefined ? {} : { workstation: server.workstation }),
    session: () => slot().id,
    deliver: (notice) => {
      if (!win.webContents.isDestroyed()) win.webContents.send(CHANGES_CHANNEL, notice);
    },
    log,
  });
  win.once('closed', () => stream.stop());
  return stream;
}
