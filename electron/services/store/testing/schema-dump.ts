/**
 * Test support: what a schema is, as text a fixture can hold. The definition of every table, index,
 * trigger and view (`sqlite_master`, sorted by type and name, the SQL as SQLite keeps it), then
 * every row the migrations themselves wrote (the seeded drug list, device catalog, settings rows),
 * each table's rows sorted. Two databases with the same dump have the same schema and the same seed.
 */
import type Database from 'better-sqlite3-multiple-ciphers';

export function schemaDump(db: Database.Database): string {
  const objects = db
    .prepare("SELECT type, name, tbl_name AS tbl, sql FROM sqlite_master ORDER BY type, name")
    .all() as { type: string; name: string; tbl: string; sql: string | null }[];
  const lines: string[] = [`-- user_version ${db.pragma('user_version', { simple: true }) as number}`];
  for (const o of objects) lines.push(`-- ${o.type} ${o.name} ON ${o.tbl}`, `${o.sql ?? '(no SQL)'};`);
  for (const o of objects) {
    if (o.type !== 'table' || /^\s*CREATE\s+VIRTUAL/i.test(o.sql ?? '')) continue;
    const q = `"${o.name.replaceAll('"', '""')}"`;
    const rows = (db.prepare(`SELECT * FROM ${q}`).raw().all() as unknown[][]).map((r) => JSON.stringify(r)).sort();
    if (rows.length === 0) continue;
    lines.push(`-- rows of ${o.name}`, ...rows);
  }
  return `${lines.join('\n')}\n`;
}
