/**
 * The desktop app's command line in development loads Electron's own build of the driver for every
 * connection of the process, its worker threads' included (connect.ts, setProcessNativeBinding).
 * Here a build that does not exist stands in for it: every opening must try that one.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { tempDir } from '../testing/temp';
import { vacuumInto } from '../backup/vacuum-worker';
import { connect, nativeBindingFor, setProcessNativeBinding } from './connect';
import { checkIntegrityInBackground } from './integrity';

const ELSEWHERE = '/nonexistent/.electron-native/better_sqlite3.node';
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => {
  setProcessNativeBinding(undefined);
  tmp.cleanup();
});

it('connections and worker threads use the process-wide build; a connection naming its own keeps it', async () => {
  const file = tmp.file('c.db');
  connect(file).close(); // unset: the driver's own build
  setProcessNativeBinding(ELSEWHERE);
  expect(nativeBindingFor({})).toBe(ELSEWHERE);
  expect(nativeBindingFor({ nativeBinding: '/own.node' })).toBe('/own.node');
  expect(() => connect(file)).toThrow(/nonexistent/);
  expect(JSON.stringify(await checkIntegrityInBackground(file))).toMatch(/nonexistent/);
  await expect(vacuumInto(file, tmp.file('copy.db'))).rejects.toThrow(/nonexistent/);
  setProcessNativeBinding(undefined);
  expect(nativeBindingFor({})).toBeUndefined();
  connect(file).close();
});
