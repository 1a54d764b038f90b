/**
 * The sandboxed preload. It exposes one frozen object, `window.reservoir`, with exactly one function
 * per request the contract declares; each forwards its single input over the one IPC channel, where
 * the main side checks the sender and validates the input. No Electron or Node object is exposed.
 * Imports: `electron` and the dependency-free request names (types from the contract vanish at build).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNEL, REQUEST_NAMES, type RequestName } from '../../shared/contract/names';
import type { ReservoirApi } from '../../shared/contract/index';

type Forwarders = { readonly [K in RequestName]: ReservoirApi[K] };

function forwarder<K extends RequestName>(name: K): ReservoirApi[K] {
  const forward = (input?: unknown) => ipcRenderer.invoke(IPC_CHANNEL, name, input);
  return forward as ReservoirApi[K];
}

const api = Object.freeze(Object.fromEntries(REQUEST_NAMES.map((name) => [name, forwarder(name)])) as Forwarders);

contextBridge.exposeInMainWorld('reservoir', api satisfies ReservoirApi);
