/**
 * Remembers the window's size, position and maximized state in `<userData>/window-state.json`.
 * A missing or corrupt file gives the defaults; a position no longer on any display is dropped
 * (the window is then centred), and the size is capped to the largest display.
 */
import type { BrowserWindow, Rectangle } from 'electron';
import fs from 'node:fs';
import path from 'node:path';

export const WINDOW_STATE_FILE = 'window-state.json';

export interface WindowState {
  width: number;
  height: number;
  /** Absent: let the system centre the window. */
  x?: number;
  y?: number;
  isMaximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 800, isMaximized: false };
export const MIN_WINDOW_SIZE = { width: 900, height: 600 } as const;
/** How much of the window must lie on a display for a saved position to be kept. */
const MIN_VISIBLE = { width: 120, height: 80 } as const;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** Parses the file's text; anything unexpected gives the defaults (never throws). */
export function parseWindowState(text: string): WindowState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_WINDOW_STATE };
  const r = raw as Record<string, unknown>;
  if (!isInt(r.width) || !isInt(r.height) || r.width <= 0 || r.height <= 0) return { ...DEFAULT_WINDOW_STATE };
  const state: WindowState = {
    width: Math.max(r.width, MIN_WINDOW_SIZE.width),
    height: Math.max(r.height, MIN_WINDOW_SIZE.height),
    isMaximized: r.isMaximized === true,
  };
  if (isInt(r.x) && isInt(r.y)) {
    state.x = r.x;
    state.y = r.y;
  }
  return state;
}

export function readWindowState(file: string): WindowState {
  try {
    return parseWindowState(fs.readFileSync(file, 'utf8'));
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
}

export function writeWindowState(file: string, state: WindowState): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
    fs.renameSync(tmp, file);
  } catch (e) {
    console.warn(`[reservoir] could not save the window position: ${(e as Error).message}`);
  }
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/** Keeps the window on a visible display: `workAreas` are the displays' work areas right now. */
export function fitToDisplays(state: WindowState, workAreas: readonly Rectangle[]): WindowState {
  if (workAreas.length === 0) return { ...state };
  const maxWidth = Math.max(...workAreas.map((a) => a.width));
  const maxHeight = Math.max(...workAreas.map((a) => a.height));
  const fitted: WindowState = {
    width: Math.min(state.width, maxWidth),
    height: Math.min(state.height, maxHeight),
    isMaximized: state.isMaximized,
  };
  if (state.x !== undefined && state.y !== undefined) {
    const bounds = { x: state.x, y: state.y, width: fitted.width, height: fitted.height };
    const visible = workAreas.some((area) => {
      const o = overlap(bounds, area);
      return o.width >= Math.min(MIN_VISIBLE.width, bounds.width) && o.height >= Math.min(MIN_VISIBLE.height, bounds.height);
    });
    if (visible) {
      fitted.x = state.x;
      fitted.y = state.y;
    }
  }
  return fitted;
}

/** The state to save for a window: its normal (unmaximized) bounds and whether it is maximized. */
export function captureWindowState(win: Pick<BrowserWindow, 'getNormalBounds' | 'isMaximized'>): WindowState {
  const b = win.getNormalBounds();
  return { x: b.x, y: b.y, width: b.width, height: b.height, isMaximized: win.isMaximized() };
}

/** Saves the window's state when it closes. */
export function trackWindowState(win: BrowserWindow, file: string): void {
  win.on('close', () => writeWindowState(file, captureWindowState(win)));
}
