/**
 * Forward-only schema migrations of the embedded SQLite file. Each released migration is a frozen
 * file of its own under `migrations/sqlite/` (`NNNN-name.ts`): its SQL (and any code it runs) as it
 * was released, importing nothing but the migration type, its SHA-256 pinned by migrations.test.ts.
 * `PRAGMA user_version` records the last one applied. A released migration never changes: add a new
 * file after the last one and list it here (docs/architecture.md, "Migrations").
 */
import type { SqliteMigration } from './migrations/types';
import { migration as m0001 } from './migrations/sqlite/0001-patients';
import { migration as m0002 } from './migrations/sqlite/0002-clinical-record';
import { migration as m0003 } from './migrations/sqlite/0003-accounts-audit';
import { migration as m0004 } from './migrations/sqlite/0004-backup-settings';
import { migration as m0005 } from './migrations/sqlite/0005-signatures';
import { migration as m0006 } from './migrations/sqlite/0006-patient-search';
import { migration as m0007 } from './migrations/sqlite/0007-first-fill-stability';
import { migration as m0008 } from './migrations/sqlite/0008-device-aliases';
import { migration as m0009 } from './migrations/sqlite/0009-therapy-restarts';
import { migration as m0010 } from './migrations/sqlite/0010-recorded-by';
import { migration as m0011 } from './migrations/sqlite/0011-urgency';
import { migration as m0012 } from './migrations/sqlite/0012-drug-limits';
import { migration as m0013 } from './migrations/sqlite/0013-override-limits';
import { migration as m0014 } from './migrations/sqlite/0014-audit-workstation';
import { migration as m0015 } from './migrations/sqlite/0015-record-versions';
import { migration as m0016 } from './migrations/sqlite/0016-verifications';
import { migration as m0017 } from './migrations/sqlite/0017-access-tokens';
import { migration as m0018 } from './migrations/sqlite/0018-patient-contacts';
import { migration as m0019 } from './migrations/sqlite/0019-appointments';
import { migration as m0020 } from './migrations/sqlite/0020-worklist-covering';

export type Migration = SqliteMigration;

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012, m0013, m0014, m0015, m0016, m0017, m0018, m0019, m0020];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
