/**
 * Test support for `store.test.ts`: a second program writing to the same database through the
 * store. Run as `node --import tsx concurrent-writer.ts FILE NAME COUNT`: makes COUNT writes, each
 * reading the table before inserting into it (the pattern that fails with SQLITE_BUSY when a
 * transaction starts as a reader and must upgrade after another connection has committed), then
 * prints `done NAME` or the error's code.
 */
import { ok } from '../../../shared/contract/result';
import { openDatabase } from './database';
import { SqliteStore } from './store';

const [file, name, count] = process.argv.slice(2);
const opened = openDatabase(file!, { backupBeforeMigration: false });
if (!opened.ok || opened.state !== 'ok') {
  console.log(`open failed: ${JSON.stringify(opened)}`);
  process.exit(1);
}
const store = new SqliteStore(opened.db);
const read = opened.db.prepare('SELECT count(*) AS n FROM concurrent_writes');
const insert = opened.db.prepare('INSERT INTO concurrent_writes (writer, seen) VALUES (?, ?)');
try {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < Number(count); i++) {
    store.write(() => {
      const seen = (read.get() as { n: number }).n;
      const until = performance.now() + 0.3; // the handler's work between its read and its write
      while (performance.now() < until);
      insert.run(name, seen);
      return ok(null);
    });
    Atomics.wait(pause, 0, 0, 1); // a request at a time, as a console makes them: not a tight loop that starves the other writer
  }
  console.log(`done ${name}`);
} catch (e) {
  console.log(`failed ${name}: ${(e as { code?: string }).code ?? ''} ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  store.close();
}
