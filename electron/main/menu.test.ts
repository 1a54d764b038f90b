import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, CONSOLE_COMMANDS } from './menu';

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

  it('has a place for the console commands, empty until the renderer listens', () => {
    expect(CONSOLE_COMMANDS).toEqual([]);
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
