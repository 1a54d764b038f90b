/**
 * Forward-only schema migrations of the PostgreSQL dialect (issue 15, item 4): one frozen file per
 * migration under `migrations/postgres/`, each the number and name of the SQLite migration it
 * mirrors (migrations.ts), pinned by frozen-migrations.test.ts. `postgres-migrate.ts` applies them.
 * A new migration is a file in both dialects, listed here and in migrations.ts.
 */
import type { PostgresMigration } from './migrations/types';
import { migration as m0001 } from './migrations/postgres/0001-patients';
import { migration as m0002 } from './migrations/postgres/0002-clinical-record';
import { migration as m0003 } from './migrations/postgres/0003-accounts-audit';
import { migration as m0004 } from './migrations/postgres/0004-backup-settings';
import { migration as m0005 } from './migrations/postgres/0005-signatures';
import { migration as m0006 } from './migrations/postgres/0006-patient-search';
import { migration as m0007 } from './migrations/postgres/0007-first-fill-stability';
import { migration as m0008 } from './migrations/postgres/0008-device-aliases';
import { migration as m0009 } from './migrations/postgres/0009-therapy-restarts';
import { migration as m0010 } from './migrations/postgres/0010-recorded-by';
import { migration as m0011 } from './migrations/postgres/0011-urgency';
import { migration as m0012 } from './migrations/postgres/0012-drug-limits';
import { migration as m0013 } from './migrations/postgres/0013-override-limits';
import { migration as m0014 } from './migrations/postgres/0014-audit-workstation';
import { migration as m0015 } from './migrations/postgres/0015-record-versions';
import { migration as m0016 } from './migrations/postgres/0016-verifications';
import { migration as m0017 } from './migrations/postgres/0017-access-tokens';
import { migration as m0018 } from './migrations/postgres/0018-patient-contacts';
import { migration as m0019 } from './migrations/postgres/0019-appointments';
import { migration as m0020 } from './migrations/postgres/0020-worklist-covering';

/** Every PostgreSQL migration, in order. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012, m0013, m0014, m0015, m0016, m0017, m0018, m0019, m0020,
];

export const LATEST_POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
