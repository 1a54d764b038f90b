import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, commandKeyEvent, CONSOLE_COMMANDS } from './menu';
import { commandForKey } from '../../shared/contract/commands';

const roles = (items: MenuItemConstructorOptions[] | undefined) => (items ?? []).map((i) => i.role).filter(Boolean);
const submenu = (t: MenuItemConstructorOptions[], label: string) => t.find((m) => m.label === label)?.submenu as MenuItemConstructorOptions[];

describe('application menu', () => {
  const showAbout = vi.fn();
  const linux = buildMenuTemplate({ appName: 'Reservoir', platform: 'linux', isDev: false, showAbout });

  it('has File, Edit, View, Window and Help with the usual roles', () => {
    expect(linux.map((m) => m.label ?? m.role)).toEqual(['File', 'Edit', 'View', 'windowMenu', 'Help']);
    expect(roles(submenu(linux, 'File'))).toEqual(['quit']);
    expect(roles(submenu(linux, 'Edit'))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
    expect(roles(submenu(linux, 'View'))).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
  });

  it('offers reload and DevTools in development only', () => {
    const dev = buildMenuTemplate({ appName: 'Reservoir', platform: 'linux', isDev: true, showAbout });
    expect(roles(submenu(dev, 'View'))).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
    expect(roles(submenu(linux, 'View'))).not.toContain('reload');
    expect(roles(submenu(linux, 'View'))).not.toContain('toggleDevTools');
  });

  it('has an About item that shows the about panel', () => {
    const about = submenu(linux, 'Help').find((i) => i.label === 'About Reservoir')!;
    (about.click as () => void)();
    expect(showAbout).toHaveBeenCalled();
  });

  it('puts the app menu first on macOS, with Quit in it', () => {
    const mac = buildMenuTemplate({ appName: 'Reservoir', platform: 'darwin', isDev: false, showAbout });
    expect(mac[0]!.label).toBe('Reservoir');
    expect(roles(mac[0]!.submenu as MenuItemConstructorOptions[])).toContain('quit');
    expect(roles(submenu(mac, 'File'))).toEqual(['close']);
  });

  it('offers New patient, Record refill, Find and Print with accelerators, each replaying the renderer shortcut', () => {
    expect(CONSOLE_COMMANDS.map((c) => [c.label, c.accelerator])).toEqual([
      ['New patient', 'CmdOrCtrl+N'],
      ['Record refill', 'CmdOrCtrl+Shift+R'],
      ['Find patient', 'CmdOrCtrl+F'],
      ['Print', 'CmdOrCtrl+P'],
    ]);
    const t = buildMenuTemplate({ appName: 'Reservoir', platform: 'linux', isDev: false, showAbout });
    expect(submenu(t, 'File').map((i) => i.label ?? i.role)).toEqual(expect.arrayContaining(['New patient', 'Record refill', 'Print']));
    // Each menu command, replayed as a key event, is the key the renderer listens for.
    for (const c of CONSOLE_COMMANDS) {
      for (const isMac of [false, true]) {
        const ev = commandKeyEvent(c.id, isMac)!;
        const key = { key: ev.keyCode.toLowerCase(), ctrlKey: ev.modifiers.includes('control'), metaKey: ev.modifiers.includes('meta'), altKey: ev.modifiers.includes('alt'), shiftKey: false };
        expect(commandForKey(key, isMac)).toBe(c.id);
      }
    }
    expect(commandKeyEvent('not.a.command', false)).toBeNull();
  });

  it('wires custom commands to onCommand', () => {
    const onCommand = vi.fn();
    const t = buildMenuTemplate({
      appName: 'Reservoir',
      platform: 'linux',
      isDev: false,
      showAbout,
      onCommand,
      commands: [
        { id: 'patient.new', label: 'New patient', accelerator: 'CmdOrCtrl+N', menu: 'file' },
        { id: 'find', label: 'Find', accelerator: 'CmdOrCtrl+F', menu: 'edit' },
      ],
    });
    const item = submenu(t, 'File').find((i) => i.id === 'patient.new')!;
    expect(item.accelerator).toBe('CmdOrCtrl+N');
    (item.click as () => void)();
    expect(onCommand).toHaveBeenCalledWith('patient.new');
    expect(submenu(t, 'Edit').at(-1)!.id).toBe('find');
  });
});
