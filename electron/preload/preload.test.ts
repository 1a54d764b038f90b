import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANGES_CHANNEL, IPC_CHANNEL, REQUEST_NAMES } from '../../shared/contract/names';
import type { ChangesBridge } from '../../shared/contract/changes';

const h = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'answer' })),
  on: vi.fn(),
  removeListener: vi.fn(),
}));
vi.mock('electron', () => {
  const electron = { contextBridge: { exposeInMainWorld: h.exposeInMainWorld }, ipcRenderer: { invoke: h.invoke, on: h.on, removeListener: h.removeListener } };
  return { ...electron, default: electron };
});

let exposed: Record<string, (input?: unknown) => Promise<unknown>>;
let changes: ChangesBridge;
beforeAll(async () => {
  await import('./preload');
  expect(h.exposeInMainWorld).toHaveBeenCalledTimes(2);
  exposed = h.exposeInMainWorld.mock.calls[0]![1] as typeof exposed;
  expect(h.exposeInMainWorld.mock.calls[1]![0]).toBe('reservoirChanges');
  changes = h.exposeInMainWorld.mock.calls[1]![1] as ChangesBridge;
});

describe('preload (checklist 20: expose only the contract, never ipcRenderer or another Electron API)', () => {
  it('exposes one object as window.reservoir', () => {
    expect(h.exposeInMainWorld.mock.calls[0]![0]).toBe('reservoir');
  });

  it('has exactly one function per request name, and nothing else', () => {
    expect(Object.keys(exposed).sort()).toEqual([...REQUEST_NAMES].sort());
    for (const name of REQUEST_NAMES) expect(typeof exposed[name]).toBe('function');
    expect(Object.values(exposed)).not.toContain(h.invoke);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(exposed)).toBe(true);
  });

  it('forwards each request with its input over the single channel', async () => {
    for (const name of REQUEST_NAMES) {
      h.invoke.mockClear();
      await expect(exposed[name]!({ some: 'input' })).resolves.toEqual({ ok: true, value: 'answer' });
      expect(h.invoke).toHaveBeenCalledExactlyOnceWith(IPC_CHANNEL, name, { some: 'input' });
    }
  });

  it('forwards only the input, whatever else a caller passes', async () => {
    h.invoke.mockClear();
    await (exposed['system.status'] as (...a: unknown[]) => Promise<unknown>)(undefined, 'extra', () => 'callback');
    expect(h.invoke).toHaveBeenCalledExactlyOnceWith(IPC_CHANNEL, 'system.status', undefined);
  });
});

describe('preload: live updates (window.reservoirChanges, one channel, validated)', () => {
  it('exposes one frozen object with one function, subscribe, and nothing else', () => {
    expect(Object.keys(changes)).toEqual(['subscribe']);
    expect(Object.isFrozen(changes)).toBe(true);
  });

  it('listens on the one changes channel only; a listener gets each valid notice and nothing of the IPC event', () => {
    h.on.mockClear();
    const got: unknown[] = [];
    const off = changes.subscribe((n) => got.push(n));
    expect(h.on).toHaveBeenCalledExactlyOnceWith(CHANGES_CHANNEL, expect.any(Function));
    const relay = h.on.mock.calls[0]![1] as (event: unknown, message: unknown) => void;
    const event = { sender: { send: () => {} }, ports: [] };
    relay(event, { kind: 'record', patientId: 3, pumpId: 4 });
    relay(event, null);
    expect(got).toEqual([{ kind: 'record', patientId: 3, pumpId: 4 }, null]);
    off();
    expect(h.removeListener).toHaveBeenCalledExactlyOnceWith(CHANGES_CHANNEL, relay);
  });

  it('drops messages that are not notices: other kinds, non-integer ids, extra fields are not passed on', () => {
    h.on.mockClear();
    const got: unknown[] = [];
    changes.subscribe((n) => got.push(n));
    const relay = h.on.mock.calls[0]![1] as (event: unknown, message: unknown) => void;
    for (const bad of [undefined, 'record', [], { kind: 'evil', patientId: 1, pumpId: null }, { kind: 'record', patientId: '1', pumpId: null }, { kind: 'record', patientId: 1.5, pumpId: null }, { kind: 'record', patientId: 1 }]) relay({}, bad);
    relay({}, { kind: 'patient', patientId: 7, pumpId: null, name: 'Secret' });
    expect(got).toEqual([{ kind: 'patient', patientId: 7, pumpId: null }]);
  });

  it('refuses a subscriber that is not a function', () => {
    expect(() => changes.subscribe('x' as never)).toThrow(TypeError);
  });
});
