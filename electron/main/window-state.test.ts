import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_WINDOW_STATE, captureWindowState, fitToDisplays, parseWindowState, readWindowState, writeWindowState } from './window-state';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-ws-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const screen = { x: 0, y: 0, width: 1920, height: 1040 };

describe('window state', () => {
  it('round-trips through window-state.json', () => {
    const file = path.join(tmp(), 'window-state.json');
    writeWindowState(file, { x: 10, y: 20, width: 1000, height: 700, isMaximized: true });
    expect(readWindowState(file)).toEqual({ x: 10, y: 20, width: 1000, height: 700, isMaximized: true });
  });

  it('ignores a missing or corrupt file', () => {
    const dir = tmp();
    expect(readWindowState(path.join(dir, 'absent.json'))).toEqual(DEFAULT_WINDOW_STATE);
    const file = path.join(dir, 'window-state.json');
    for (const text of ['{not json', '', 'null', '[]', '"x"', '{"width":"big","height":700}', '{"width":-5,"height":700}', '{"width":1e400,"height":1}']) {
      fs.writeFileSync(file, text);
      expect(readWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
    }
  });

  it('drops a half-given or non-integer position', () => {
    expect(parseWindowState('{"width":1000,"height":700,"x":5}')).toEqual({ width: 1000, height: 700, isMaximized: false });
    expect(parseWindowState('{"width":1000,"height":700,"x":5.5,"y":1}')).toEqual({ width: 1000, height: 700, isMaximized: false });
  });

  it('never goes below the minimum size', () => {
    expect(parseWindowState('{"width":10,"height":10}')).toMatchObject({ width: 900, height: 600 });
  });

  it('keeps a position that is on a display', () => {
    expect(fitToDisplays({ x: 100, y: 100, width: 1200, height: 800, isMaximized: false }, [screen])).toEqual({ x: 100, y: 100, width: 1200, height: 800, isMaximized: false });
  });

  it('drops a position on a display that is gone, so the window is centred', () => {
    const fitted = fitToDisplays({ x: 3000, y: 200, width: 1200, height: 800, isMaximized: false }, [screen]);
    expect(fitted.x).toBeUndefined();
    expect(fitted.y).toBeUndefined();
  });

  it('drops a position that leaves only a sliver visible', () => {
    expect(fitToDisplays({ x: 1900, y: 100, width: 1200, height: 800, isMaximized: false }, [screen]).x).toBeUndefined();
  });

  it('keeps a position on a second display and caps the size to the largest display', () => {
    const second = { x: 1920, y: 0, width: 1280, height: 1000 };
    expect(fitToDisplays({ x: 2000, y: 50, width: 5000, height: 5000, isMaximized: true }, [screen, second])).toEqual({ x: 2000, y: 50, width: 1920, height: 1040, isMaximized: true });
  });

  it('captures the normal bounds of a maximized window', () => {
    const win = { getNormalBounds: () => ({ x: 1, y: 2, width: 1100, height: 750 }), isMaximized: () => true };
    expect(captureWindowState(win)).toEqual({ x: 1, y: 2, width: 1100, height: 750, isMaximized: true });
  });

  it('does not throw when the folder cannot be written', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const file = path.join(tmp(), 'a-file');
    fs.writeFileSync(file, '');
    expect(() => writeWindowState(path.join(file, 'window-state.json'), DEFAULT_WINDOW_STATE)).not.toThrow();
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});
