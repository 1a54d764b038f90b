import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNEL, REQUEST_NAMES } from '../../shared/contract/names';

const h = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'answer' })),
}));
vi.mock('electron', () => {
  const electron = { contextBridge: { exposeInMainWorld: h.exposeInMainWorld }, ipcRenderer: { invoke: h.invoke } };
  return { ...electron, default: electron };
});

let exposed: Record<string, (input?: unknown) => Promise<unknown>>;
beforeAll(async () => {
  await import('./preload');
  expect(h.exposeInMainWorld).toHaveBeenCalledTimes(1);
  exposed = h.exposeInMainWorld.mock.calls[0]![1] as typeof exposed;
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
