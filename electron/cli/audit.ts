/** `reservoir audit verify --db FILE`: checks the audit trail's hash chain, read-only. */
import fs from 'node:fs';
import type Database from 'better-sqlite3-multiple-ciphers';
import { connect } from '../services/store/connect';
import { keyForCommand } from './keys';
import { verifyAuditChain } from '../services/audit/chain';
import { EXIT, line, parseCommand, stringOption, UsageError, type CliIo, type ExitCode } from './args';

export const AUDIT_HELP = `Usage: reservoir audit verify --db FILE [--anchor SEQ:HASH]

Check that the audit trail of the clinic database FILE is intact: every entry's hash matches its
content and links to the entry before it, so no entry was changed or deleted. The file is opened
read-only; nothing is written. Also checks that the database still refuses changes to the trail
(its append-only triggers are in place). It prints the last entry's number and hash: keep them
somewhere else (a ticket, a signed report) and later check with --anchor that the trail still
holds that entry unchanged, which also shows entries cut off the end.

Options:
  --db FILE            the clinic database (must exist)
  --anchor SEQ:HASH    also check that entry SEQ still has this hash (from an earlier run)
  -h, --help           show this help

Exit status: 0 intact, 1 broken (the first broken entry is named) or not a Reservoir database,
2 bad usage.
`;

const TRIGGERS = ['audit_log_no_update', 'audit_log_no_delete'];

export function runAudit(args: string[], io: CliIo): ExitCode {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === undefined) {
    (sub === undefined ? io.err : io.out)(AUDIT_HELP);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  if (sub !== 'verify') throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}; the only one is 'verify'`);
  const parsed = parseCommand(rest, { db: { type: 'string' }, anchor: { type: 'string' } });
  if (parsed.help) {
    io.out(AUDIT_HELP);
    return EXIT.ok;
  }
  const file = stringOption(parsed, 'db', true);
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`);
  const anchorText = stringOption(parsed, 'anchor');
  const anchor = anchorText === undefined ? null : /^(\d+):([0-9a-f]{64})$/.exec(anchorText);
  if (anchorText !== undefined && anchor === null) throw new UsageError('--anchor must be SEQ:HASH, the entry number and its 64-character hash as printed by an earlier verify');
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    io.err(line(`reservoir audit: no database at ${file}`));
    return EXIT.refused;
  }
  const chosen = keyForCommand(file, parsed.keys, io);
  if (!chosen.ok) {
    io.err(line(`reservoir audit: ${chosen.message}`));
    return EXIT.refused;
  }
  let db: Database.Database;
  try {
    db = connect(file, { key: chosen.value.key }, { readonly: true, fileMustExist: true });
  } catch (e) {
    io.err(line(`reservoir audit: cannot open ${file}: ${(e as Error).message}`));
    return EXIT.refused;
  }
  try {
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get();
    if (!hasTable) {
      io.err(line(`reservoir audit: ${file} has no audit trail (not a Reservoir database, or one from before accounts were added)`));
      return EXIT.refused;
    }
    const status = verifyAuditChain(db);
    if (!status.ok) {
      io.err(line(`reservoir audit: BROKEN at entry ${status.brokenSeq}: ${status.reason}. ${status.entries} entries before it are intact.`));
      return EXIT.refused;
    }
    if (anchor) {
      const seq = Number(anchor[1]);
      const row = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(seq) as { hash: string } | undefined;
      if (!row || row.hash !== anchor[2]) {
        io.err(line(`reservoir audit: BROKEN: entry ${seq} ${row ? 'has another hash than the anchor' : 'is missing (the trail was cut off)'}: the trail was rewritten since the anchor was taken.`));
        return EXIT.refused;
      }
    }
    const triggers = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").all() as { name: string }[]).map((r) => r.name));
    const missing = TRIGGERS.filter((t) => !triggers.has(t));
    if (missing.length > 0) {
      io.err(line(`reservoir audit: the chain of ${status.entries} entries is intact, but the append-only trigger${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'were' : 'was'} removed: the trail is no longer protected.`));
      return EXIT.refused;
    }
    io.out(
      line(
        status.lastSeq === null
          ? 'Audit trail intact: no entries yet.'
          : `Audit trail intact: ${status.entries} entries${anchor ? `, entry ${anchor[1]} matches the anchor` : ''}. Anchor for a later check: --anchor ${status.lastSeq}:${status.lastHash}`,
      ),
    );
    return EXIT.ok;
  } catch (e) {
    io.err(line(`reservoir audit: cannot read the audit trail of ${file}: ${(e as Error).message}`));
    return EXIT.refused;
  } finally {
    db.close();
  }
}
