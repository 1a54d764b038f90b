/**
 * The one IPC entry point: `ipcMain.handle(IPC_CHANNEL, (event, name, input) => …)`.
 * Every message's sender frame is checked first (checklist 17); only then does the contract's
 * dispatcher check the window's session and role, validate the input and run the request.
 */
import type { IpcMain } from 'electron';
import { IPC_CHANNEL } from '../../shared/contract/names';
import { fail, type Result } from '../../shared/contract/result';
import { isTrustedSender, type SenderFrame } from './security';

/** Where the session of one window is kept (the services' `SessionSlot`). */
export interface SessionSlot {
  id: string | null;
}

export type Dispatch = (name: unknown, input: unknown, session: SessionSlot) => Promise<Result<unknown>>;

/**
 * One session per window's WebContents, kept here in main: the renderer never holds a token. A
 * closed window's WebContents is collected, and its session slot with it. Main reads a window's
 * slot too (a connected workstation's live-update stream sends that window's session).
 */
export function createSessionSlots(): { slotOf(sender: object): SessionSlot } {
  const sessions = new WeakMap<object, SessionSlot>();
  return {
    slotOf(sender) {
      let slot = sessions.get(sender);
      if (!slot) {
        slot = { id: null };
        sessions.set(sender, slot);
      }
      return slot;
    },
  };
}

export interface RequestHandlerDeps {
  dispatch: Dispatch;
  /** Where the windows' sessions are kept (default: a store of this handler's own). */
  sessions?: { slotOf(sender: object): SessionSlot };
  /** Our window's top frame right now, or null when there is no window. */
  mainFrame: () => SenderFrame | null;
  log?: (message: string) => void;
}

/** What the handler reads from Electron's `IpcMainInvokeEvent`. */
export interface InvokeEventLike {
  readonly senderFrame: SenderFrame | null;
  /** The window's WebContents: the key of its session. */
  readonly sender: object;
}

export function createRequestHandler(deps: RequestHandlerDeps) {
  const log = deps.log ?? console.warn;
  const { slotOf } = deps.sessions ?? createSessionSlots();
  return async (event: InvokeEventLike, name: unknown, input: unknown): Promise<Result<unknown>> => {
    let trusted: boolean;
    try {
      trusted = isTrustedSender(event.senderFrame, deps.mainFrame());
    } catch {
      trusted = false; // a destroyed frame or window
    }
    if (!trusted) {
      log(`[reservoir] refused IPC ${JSON.stringify(String(name)).slice(0, 80)} from an unexpected sender`);
      return fail('forbidden', 'This request did not come from the Reservoir console window and was refused.');
    }
    try {
      return await deps.dispatch(name, input, slotOf(event.sender));
    } catch (e) {
      // dispatch never throws; this is the last line of defence so no stack trace crosses IPC.
      console.error('[reservoir] request failed:', (e as Error).message);
      return fail('internal', 'Reservoir could not complete this request; nothing was saved. Please try again.');
    }
  };
}

/** Installs the handler on the single channel (replacing any earlier one). */
export function registerRequestHandler(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, deps: RequestHandlerDeps): void {
  ipcMain.removeHandler(IPC_CHANNEL);
  ipcMain.handle(IPC_CHANNEL, createRequestHandler(deps));
}
