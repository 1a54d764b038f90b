/**
 * Test support for `postgres.test.ts`: a process that starts a throwaway cluster, prints
 * `{"dir": …, "port": …}` and waits to be killed (run as `node --import tsx postgres-child.ts`), or
 * with `exit`, ends at once without stopping it (its exit handler must).
 */
import { startPostgres } from './postgres';

const cluster = await startPostgres();
console.log(JSON.stringify({ dir: cluster.dir, port: cluster.port }));
if (process.argv[2] === 'exit') process.exit(0);
setInterval(() => {}, 60_000);
