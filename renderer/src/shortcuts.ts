import { useEffect } from 'react';
import { commandForKey, type ConsoleCommandId } from '../../shared/contract/commands';
import { assertNever } from '../../shared/contract/result';
import { href } from './router';

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

/** Waits for an element marked `data-command` to appear (after a route change), then acts on it. */
function withTarget(command: string, act: (el: HTMLElement) => void, tries = 20): void {
  const el = document.querySelector<HTMLElement>(`[data-command="${command}"]`);
  if (el) act(el);
  else if (tries > 0) setTimeout(() => withTarget(command, act, tries - 1), 50);
}

export function runCommand(id: ConsoleCommandId): void {
  switch (id) {
    case 'find':
      if (!window.location.hash.startsWith('#/patients') || /#\/patients\/\d+/.test(window.location.hash)) window.location.hash = href({ name: 'patients' });
      withTarget('find', (el) => el.focus());
      return;
    case 'patient.new':
      if (window.location.hash !== href({ name: 'patients' })) window.location.hash = href({ name: 'patients' });
      withTarget('patient.new', (el) => el.click());
      return;
    case 'refill.record':
      // Only on a patient record with a pump in place; elsewhere there is nothing to refill.
      withTarget('refill.record', (el) => el.click(), 0);
      return;
    case 'print':
      window.print();
      return;
  }
  assertNever(id, 'command');
}

/** Global keyboard shortcuts: Ctrl/⌘+K find, Alt+N new patient, Alt+R record refill, Ctrl/⌘+P print. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const id = commandForKey(e, isMac);
      if (id === null) return;
      e.preventDefault();
      runCommand(id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
