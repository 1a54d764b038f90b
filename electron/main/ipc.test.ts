import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNEL } from '../../shared/contract/names';
import { ok } from '../../shared/contract/result';
import { createRequestHandler, createSessionSlots, registerRequestHandler, type Dispatch } from './ipc';
import type { SenderFrame } from './security';

const top: SenderFrame = { url: 'app://reservoir/index.html', parent: null, frameTreeNodeId: 1 };

function setup(mainFrame: SenderFrame | null = top) {
  const dispatch = vi.fn<Dispatch>(async () => ok({ answered: true }));
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  const ipcMain = {
    handle: vi.fn((channel: string, h: (...args: unknown[]) => unknown) => void handlers.set(channel, h)),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
  };
  registerRequestHandler(ipcMain, { dispatch, mainFrame: () => mainFrame, log: () => {} });
  const webContents = {};
  const invoke = (senderFrame: SenderFrame | null, name: unknown, input?: unknown, sender: object = webContents) =>
    handlers.get(IPC_CHANNEL)!({ senderFrame, sender }, name, input);
  return { dispatch, ipcMain, invoke };
}

describe('IPC (checklist 17: validate the sender of every message)', () => {
  it('registers exactly one handler, on the contract channel', () => {
    const { ipcMain } = setup();
    expect(ipcMain.handle).toHaveBeenCalledTimes(1);
    expect(ipcMain.handle).toHaveBeenCalledWith(IPC_CHANNEL, expect.any(Function));
  });

  it('dispatches a request from our top frame', async () => {
    const { dispatch, invoke } = setup();
    await expect(invoke(top, 'patients.list', { query: 'x' })).resolves.toEqual({ ok: true, value: { answered: true } });
    expect(dispatch).toHaveBeenCalledWith('patients.list', { query: 'x' }, { id: null });
  });

  it('keeps one session slot per window: the same slot for the same WebContents, another for another', async () => {
    const { dispatch, invoke } = setup();
    dispatch.mockImplementationOnce(async (_n, _i, slot) => {
      slot.id = 'session-of-window-1';
      return ok({ state: 'active' });
    });
    await invoke(top, 'session.login', { username: 'a', password: 'b' });
    await invoke(top, 'patients.list', {});
    expect(dispatch.mock.calls[1]![2]).toEqual({ id: 'session-of-window-1' });
    await invoke(top, 'patients.list', {}, {});
    expect(dispatch.mock.calls[2]![2]).toEqual({ id: null });
  });

  it.each([
    ['a subframe', { url: 'app://reservoir/index.html', parent: top, frameTreeNodeId: 2 }],
    ['a foreign URL', { url: 'https://evil.example/', parent: null, frameTreeNodeId: 1 }],
    ['another window', { url: 'app://reservoir/index.html', parent: null, frameTreeNodeId: 9 }],
    ['a destroyed frame', null],
  ])('answers forbidden to %s and never dispatches', async (_label, frame) => {
    const { dispatch, invoke } = setup();
    const answer = (await invoke(frame as SenderFrame | null, 'patients.create', { mrn: 'X' })) as { ok: boolean; error: { code: string } };
    expect(answer.ok).toBe(false);
    expect(answer.error.code).toBe('forbidden');
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('answers forbidden when there is no window', async () => {
    const { dispatch, invoke } = setup(null);
    expect(await invoke(top, 'system.status')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('turns a throwing dispatcher into an internal error value, without a stack trace', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const handler = createRequestHandler({ dispatch: async () => Promise.reject(new Error('boom at /secret/path.ts:1')), mainFrame: () => top });
    const answer = (await handler({ senderFrame: top, sender: {} }, 'system.status', undefined)) as { ok: false; error: { code: string; message: string } };
    expect(answer.error.code).toBe('internal');
    expect(answer.error.message).not.toContain('secret');
    error.mockRestore();
  });

  it('treats a frame that throws when read as untrusted', async () => {
    const dispatch = vi.fn<Dispatch>();
    const handler = createRequestHandler({ dispatch, mainFrame: () => { throw new Error('destroyed'); }, log: () => {} });
    expect(await handler({ senderFrame: top, sender: {} }, 'system.status', undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(dispatch).not.toHaveBeenCalled();
  });
});

describe('the windows’ sessions, shared with main (a connected window’s live-update stream reads its slot)', () => {
  it('the slot a request signs in is the one main reads for that window, and only that window', async () => {
    const sessions = createSessionSlots();
    const handler = createRequestHandler({
      dispatch: async (_n, _i, slot) => {
        slot.id = 'signed-in';
        return ok(null);
      },
      mainFrame: () => top,
      sessions,
      log: () => {},
    });
    const windowContents = {};
    await handler({ senderFrame: top, sender: windowContents }, 'session.login', {});
    expect(sessions.slotOf(windowContents).id).toBe('signed-in');
    expect(sessions.slotOf({}).id).toBeNull();
  });
});
