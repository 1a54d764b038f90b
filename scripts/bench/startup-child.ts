/**
 * One start of the services a shell runs, in a process of its own (`startup.ts` runs it): from
 * process start (Node's clock origin) to the first worklist answer, with the background integrity
 * check on, as the browser shell and Electron open the database. The sign-in between the two is
 * not counted. Prints the milliseconds. Usage: node --import tsx startup-child.ts DB USER PASSWORD AS-OF
 */
import { TEST_COST } from '../../electron/services/accounts/passwords';
import { createServices } from '../../electron/services/app';

const [db, username, password, asOf] = process.argv.slice(2) as [string, string, string, string];
const r = createServices({ databasePath: db, shell: 'browser', passwordCost: TEST_COST, backgroundIntegrityCheck: true, recovery: { confirm: 'code', announce: () => undefined } });
if (!r.ok) throw new Error(r.error.message);
const opened = performance.now();
const slot = { id: null };
const login = await r.value.dispatch('session.login', { username, password }, slot);
if (!login.ok) throw new Error(login.error.message);
const t = performance.now();
const wl = await r.value.dispatch('worklist.get', { asOf }, slot);
if (!wl.ok) throw new Error(wl.error.message);
const total = opened + (performance.now() - t);
r.value.close();
console.log(total.toFixed(1));
process.exit(0);
