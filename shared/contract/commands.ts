/**
 * Console commands reachable from the keyboard in both shells, and from the Electron menu.
 * The renderer listens for the key; the Electron menu item replays the same key into the page,
 * so the preload exposes nothing beyond the contract's requests.
 */
export const CONSOLE_COMMAND_IDS = ['patient.new', 'refill.record', 'find', 'print'] as const;
export type ConsoleCommandId = (typeof CONSOLE_COMMAND_IDS)[number];

export interface CommandKey {
  /** KeyboardEvent.key, lower-case for letters. */
  key: string;
  /** Ctrl on Windows/Linux, Cmd on macOS. */
  mod: boolean;
  alt: boolean;
}

export const COMMANDS: Record<ConsoleCommandId, { label: string; key: CommandKey; menuAccelerator: string; menu: 'file' | 'edit' }> = {
  'patient.new': { label: 'New patient', key: { key: 'n', mod: false, alt: true }, menuAccelerator: 'CmdOrCtrl+N', menu: 'file' },
  'refill.record': { label: 'Record refill', key: { key: 'r', mod: false, alt: true }, menuAccelerator: 'CmdOrCtrl+Shift+R', menu: 'file' },
  find: { label: 'Find patient', key: { key: 'k', mod: true, alt: false }, menuAccelerator: 'CmdOrCtrl+F', menu: 'edit' },
  print: { label: 'Print', key: { key: 'p', mod: true, alt: false }, menuAccelerator: 'CmdOrCtrl+P', menu: 'file' },
};

/** The command a key press asks for, if any. `isMac` decides whether Cmd or Ctrl is the modifier. */
export function commandForKey(
  e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean },
  isMac: boolean,
): ConsoleCommandId | null {
  const mod = isMac ? e.metaKey : e.ctrlKey;
  const key = e.key.toLowerCase();
  for (const id of CONSOLE_COMMAND_IDS) {
    const k = COMMANDS[id].key;
    if (k.key === key && k.mod === mod && k.alt === e.altKey && !e.shiftKey) return id;
  }
  return null;
}
