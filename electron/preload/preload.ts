/**
 * The sandboxed preload. It exposes one frozen object, `window.reservoir`, with exactly one function
 * per request the contract declares; each forwards its single input over the one IPC channel, where
 * the main side checks the sender and validates the input. And one frozen `window.reservoirChanges`
 * with one function, `subscribe`: the live-update notices main relays on `CHANGES_CHANNEL` (a
 * connected workstation), each checked by `readChangeNotice` before a listener sees it — no event
 * object, no sender, nothing else of a message reaches the page. No Electron or Node object is exposed.
 * Imports: `electron` and the dependency-free request names and notice check (types vanish at build).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CHANGES_CHANNEL, IPC_CHANNEL, REQUEST_NAMES, type RequestName } from '../../shared/contract/names';
import { readChangeNotice, type ChangesBridge } from '../../shared/contract/changes';
import type { ReservoirApi } from '../../shared/contract/index';

type Forwarders = { readonly [K in RequestName]: ReservoirApi[K] };

function forwarder<K extends RequestName>(name: K): ReservoirApi[K] {
  const forward = (input?: unknown) => ipcRenderer.invoke(IPC_CHANNEL, name, input);
  return forward as ReservoirApi[K];
}

const api = Object.freeze(Object.fromEntries(REQUEST_NAMES.map((name) => [name, forwarder(name)])) as Forwarders);

contextBridge.exposeInMainWorld('reservoir', api satisfies ReservoirApi);

const changes: ChangesBridge = Object.freeze({
  subscribe(listener: Parameters<ChangesBridge['subscribe']>[0]) {
    if (typeof listener !== 'function') throw new TypeError('subscribe needs a function');
    const relay = (_event: unknown, message: unknown) => {
      const notice = readChangeNotice(message);
      if (notice !== undefined) listener(notice);
    };
    ipcRenderer.on(CHANGES_CHANNEL, relay);
    return () => void ipcRenderer.removeListener(CHANGES_CHANNEL, relay);
  },
});

contextBridge.exposeInMainWorld('reservoirChanges', changes satisfies ChangesBridge);
