/**
 * The application menu, as a plain template (tested under Node); `main.ts` builds and installs it.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { COMMANDS, CONSOLE_COMMAND_IDS } from '../../shared/contract/commands';

/**
 * ── Console commands ──────────────────────────────────────────────────────────────────────────
 * New patient (CmdOrCtrl+N), Record refill (CmdOrCtrl+Shift+R: CmdOrCtrl+R is Reload in
 * development), Find (CmdOrCtrl+F), Print (CmdOrCtrl+P). `onCommand(id)` replays the renderer's own
 * shortcut for the command (shared/contract/commands.ts) into the page, so no extra IPC exists.
 */
export interface ConsoleCommand {
  id: string;
  label: string;
  accelerator: string;
  menu: 'file' | 'edit';
}
export const CONSOLE_COMMANDS: readonly ConsoleCommand[] = CONSOLE_COMMAND_IDS.map((id) => ({
  id,
  label: COMMANDS[id].label,
  accelerator: COMMANDS[id].menuAccelerator,
  menu: COMMANDS[id].menu,
}));

/** The key event the renderer listens for, for a menu command (Electron `sendInputEvent` form). */
export function commandKeyEvent(id: string, isMac: boolean): { type: 'keyDown'; keyCode: string; modifiers: ('control' | 'meta' | 'alt')[] } | null {
  const command = (CONSOLE_COMMAND_IDS as readonly string[]).includes(id) ? COMMANDS[id as keyof typeof COMMANDS] : null;
  if (!command) return null;
  const modifiers: ('control' | 'meta' | 'alt')[] = [];
  if (command.key.mod) modifiers.push(isMac ? 'meta' : 'control');
  if (command.key.alt) modifiers.push('alt');
  return { type: 'keyDown', keyCode: command.key.key.toUpperCase(), modifiers };
}

export interface MenuOptions {
  appName: string;
  platform: NodeJS.Platform;
  /** Development build: Reload and DevTools in the View menu. */
  isDev: boolean;
  showAbout: () => void;
  commands?: readonly ConsoleCommand[];
  onCommand?: (id: string) => void;
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';
  const commands = options.commands ?? CONSOLE_COMMANDS;
  const commandItems = (menu: ConsoleCommand['menu']): MenuItemConstructorOptions[] => {
    const items = commands
      .filter((c) => c.menu === menu)
      .map((c): MenuItemConstructorOptions => ({ id: c.id, label: c.label, accelerator: c.accelerator, click: () => options.onCommand?.(c.id) }));
    return items.length > 0 ? [...items, { type: 'separator' }] : [];
  };
  const about: MenuItemConstructorOptions = { label: `About ${options.appName}`, click: () => options.showAbout() };

  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: options.appName,
      submenu: [about, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
    });
  }
  template.push(
    { label: 'File', submenu: [...commandItems('file'), isMac ? { role: 'close' } : { role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        ...(commands.some((c) => c.menu === 'edit') ? [{ type: 'separator' } as const, ...commandItems('edit').slice(0, -1)] : []),
      ],
    },
    {
      label: 'View',
      submenu: [
        ...(options.isDev ? [{ role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const] : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { label: 'Help', role: 'help', submenu: [about] },
  );
  return template;
}
