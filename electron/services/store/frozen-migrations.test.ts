/**
 * Released migrations are frozen (docs/architecture.md, "Migrations"). Each is a file under
 * migrations/sqlite/ whose SHA-256 is pinned here: a changed file fails, whatever changed in it
 * (its SQL, its code, its name, even a comment), because clinics' databases already ran it. A new
 * migration is a new file after the last, listed in migrations.ts, with its row added below.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';
import { POSTGRES_MIGRATIONS } from './postgres-migrations';
import { schemaDump } from './testing/schema-dump';
import { tempDir } from '../testing/temp';

/** Number, name and SHA-256 (of the file, line ends as LF) of every released migration. */
const RELEASED: readonly (readonly [number, string, string])[] = [
  [1, 'patients', '6fc05280a1a18a2258dcafcbd873594009b53904e1cec62864228790a45ec21c'],
  [2, 'clinical record', 'ca0cdea40918623e24da9eb591a3f32f52a5486aa8d1b8b0aa7ed7db57dd1374'],
  [3, 'accounts and audit trail', '406c7717abf7cbe39a4c59c497a188fd27a4242731e576e65e76c7da974a0626'],
  [4, 'backup settings', '214c708eea394977fd21c8b9136aba3024378f7d13cc3324c8cfad3ed0a77751'],
  [5, 'signatures and amendments', 'f390f9101693ed70b060c4debe2ecb141b21f4c560fe210bebd125a78334144a'],
  [6, 'patient search and worklist indexes', '722f571d48bcca18dd61c32158f87c5c84c082cc8b4acc0f209f69d69838c592'],
  [7, 'first-fill stability', 'ef9830ff4b2e01e4292b638eecfb3079d80dd94029d2d431991df2a5ef33bcba'],
  [8, 'device aliases, Prometra split and dilution stability', 'c3f9aa89a9025ebdd257d0312c8cd81c70e19318ddf9dbb63c4864f878d939c0'],
  [9, 'therapy restarts and patient status dates', 'd4d8c3fdf6817322a49bbe40a0c75feb59f02a6633ae361a41a57b65c90fd072'],
  [10, 'who recorded each clinical entry', '1a181ce24035d163b440f3ed917d711f9a2a2086ea818026c2dc10be72ab3993'],
  [11, 'urgency: withdrawal warnings and worklist urgency indexes', 'b98710e755caf8a885c6ea0e69879ca4e0932ba73de1c9e23435869e4372a3bc'],
  [12, 'drug library: step-up limits, limit sources and hard maximum doses', '7f7a5b1d9b23d1d39b0e2c978084fa5b9c4e8f22af0f9dc368def3484d270bb7'],
  [13, 'limit overrides: the soft limits each override crossed', 'dd0c4035eb48bef38bfde8eb8a81c0020ea873d8c749735836e56cff114eef1f'],
  [14, 'audit trail: the workstation of each entry', 'be15611c25b9c0ecccd00c714b4e4f65972b0496424eafe1a7f18c143954822e'],
  [15, 'record versions: an index of the audit entries that change a record', '80c8a85b3fedbdc793c8fc51f49545433061afa003f69f7fff41ddd49798733f'],
  [16, 'independent double check', '463a883239327fcc1cc07064ea62ac828d04d7c455c43ebdd0f6023e8a1c708e'],
  [17, 'personal access tokens', 'b5859583cef97024e0c723eb7c49091a673cc60ee628e8b92209a0faf26c14a2'],
  [18, 'patient contacts, phone digits and birth-date indexes', 'a2d8a9c4d24540d7fe161f7648a95ad4c20ff20b26a267e00db12aa3f6583fe9'],
  [19, 'refill appointments', 'c9f5514791dc565fd736aae39239065d305ca398300cec1aaf835c2ec204db0a'],
  [20, 'worklist: covering urgency indexes', 'a80b22bc2c18c7bd6ccd1b47d238640030a60e0a8d70df3027276a4290ba37d0'],
];

/**
 * The PostgreSQL dialect (issue 15), written ahead of the engine: each file mirrors the SQLite
 * migration of its number and name, and is frozen as they are.
 */
const RELEASED_POSTGRES: readonly (readonly [number, string, string])[] = [
  [1, 'patients', '3fb85b0f3674d92a40047ee6b4bef9e406a55b577620e87ce52c0051ad1255d4'],
  [2, 'clinical record', 'bbc5866aed72e58d5e4abb7b768fbff09ed52ac3dba4be6b0d8512b9eef4d3d0'],
  [3, 'accounts and audit trail', 'a52c8f0849ef05778cba3ab2b6290b79d03006310925cd3fb31a203af00d0927'],
  [4, 'backup settings', '72ea429f70bbd33887f84c0be831c8a33365133bfc4064975564740ef7451ea2'],
  [5, 'signatures and amendments', 'c8f8656f0bac5b23532c09480605f4854834651a96f2ef8553e88539d4b5f8b9'],
  [6, 'patient search and worklist indexes', '12909b351b601c87cd0eacb7edec063fe74b191d2138bd5dea54fd552722433e'],
  [7, 'first-fill stability', 'ac43236b0d2ebebfb88e35983603834d635ce9d49430018f113b38b9633bfa98'],
  [8, 'device aliases, Prometra split and dilution stability', 'a59c027763c52c8a5a66d5678f6cf2294e9236eec08776e3f703b68c346c70f7'],
  [9, 'therapy restarts and patient status dates', '2f04714ba95d5baf91562e7ba782c49bff032da299f9a39d3fe548d38270a603'],
  [10, 'who recorded each clinical entry', 'f7f87607f8fee3c88d2bc37c56e7579bc26b8f3861c85d940359480ab146ddf4'],
  [11, 'urgency: withdrawal warnings and worklist urgency indexes', 'a73ed502a75319b8f2f4cfc7ff70bb0ec82b61985414de2291183e6773ee61dd'],
  [12, 'drug library: step-up limits, limit sources and hard maximum doses', 'd2ab21f018e740f97f7418b8b924f49a47e1527812f1f807b9829fe8d6692b04'],
  [13, 'limit overrides: the soft limits each override crossed', '94fd730c83aa5e5748191b8b27d1c458eccf175d189de055f18d75da5098da07'],
  [14, 'audit trail: the workstation of each entry', 'a789bf6bc95acb1cd84aa6d5dd220fab698146962ef292bcd08e2724e2800c57'],
  [15, 'record versions: an index of the audit entries that change a record', '4a8ff539a5cab38d0e0c5195dd538401701c5503ee81c389455803e3e436f1ef'],
  [16, 'independent double check', 'ac1fb9aaf01e6af26bfd2d510292d2e97f1b06cebc900179d9b1d383155124e5'],
  [17, 'personal access tokens', 'f9172ab3d28680206f996a704843481c8c4329ca29e6fdf4cb67b869e55ca51d'],
  [18, 'patient contacts, phone digits and birth-date indexes', '278ccf1478a9813cc016da45dac77d009b53b92db8ff427c9efca017f768324d'],
  [19, 'refill appointments', '20fa2950affea9f0ca6ea98bb641536a24db7a5fc37543f6be5731bff9ab679f'],
  [20, 'worklist: covering urgency indexes', '753f0d4ab7927c87b47679ad844a66258336a2a26415c706b342a75c6a4eae49'],
];

const folderOf = (dialect: 'sqlite' | 'postgres') => path.join(import.meta.dirname, 'migrations', dialect);
const folder = folderOf('sqlite');
const filesIn = (dir: string) => fs.readdirSync(dir).filter((f) => /\.ts$/.test(f) && !f.endsWith('.test.ts')).sort();
const files = () => filesIn(folder);
const hashIn = (dir: string) => (file: string) => crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, file), 'utf8').replaceAll('\r\n', '\n')).digest('hex');
const sha256 = hashIn(folder);

/** The files' problems: changed, missing or unpinned ones, each named. */
function frozenProblems(list: readonly string[], hashOf: (file: string) => string, released = RELEASED): string[] {
  const problems: string[] = [];
  for (const [version, name, hash] of released) {
    const file = list.find((f) => Number(f.slice(0, 4)) === version);
    if (file === undefined) problems.push(`released migration ${version} ("${name}") is missing: a released migration is never removed`);
    else if (hashOf(file) !== hash) problems.push(`released migration ${version} changed: add a new migration instead (${file})`);
  }
  for (const file of list) {
    const version = Number(file.slice(0, 4));
    if (!released.some(([v]) => v === version)) problems.push(`migration ${file} is not pinned: add its number, name and SHA-256 (${hashOf(file)}) to RELEASED in frozen-migrations.test.ts`);
  }
  return problems;
}

describe('frozen migrations', () => {
  it('every released migration file is exactly as released (its SHA-256 pinned)', () => {
    expect(frozenProblems(files(), sha256)).toEqual([]);
  });

  it('a changed released file is named: "released migration N changed: add a new migration instead"', () => {
    const changed = (file: string) => (file.startsWith('0007-') ? 'f'.repeat(64) : sha256(file));
    expect(frozenProblems(files(), changed)).toEqual([expect.stringMatching(/^released migration 7 changed: add a new migration instead/)]);
    expect(frozenProblems(files().filter((f) => !f.startsWith('0003-')), sha256)).toEqual([expect.stringMatching(/^released migration 3 \("accounts and audit trail"\) is missing/)]);
  });

  it('numbered 1..N without gaps, one file each, names unique, the list in migrations.ts the same as the files', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(new Set(MIGRATIONS.map((m) => m.name)).size).toBe(MIGRATIONS.length);
    expect(files().map((f) => Number(f.slice(0, 4)))).toEqual(versions);
    for (const [version, name] of RELEASED) expect(MIGRATIONS[version - 1]!.name, `migration ${version}`).toBe(name);
  });

  it('the PostgreSQL files are pinned too, each with the number and name of the SQLite migration it mirrors', async () => {
    const dir = folderOf('postgres');
    expect(frozenProblems(filesIn(dir), hashIn(dir), RELEASED_POSTGRES)).toEqual([]);
    for (const file of filesIn(dir)) {
      const { migration } = (await import(path.join(dir, file))) as { migration: { version: number; name: string } };
      expect(migration.version, file).toBe(Number(file.slice(0, 4)));
      expect(migration.name, file).toBe(MIGRATIONS[migration.version - 1]!.name);
    }
  });

  it('the PostgreSQL dialect has every migration: the list in postgres-migrations.ts is 1..N, as in migrations.ts, one file each', () => {
    expect(POSTGRES_MIGRATIONS.map((m) => [m.version, m.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
    expect(filesIn(folderOf('postgres')).map((f) => Number(f.slice(0, 4)))).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('no frozen file imports anything but the migration type', () => {
    for (const file of [...files().map((f) => path.join(folder, f)), ...filesIn(folderOf('postgres')).map((f) => path.join(folderOf('postgres'), f))]) {
      const imports = [...fs.readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
      expect(imports, file).toEqual(['../types']);
    }
  });
});

describe('the frozen migrations build the schema the code before them built', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir('reservoir-frozen-')));
  afterEach(() => tmp.cleanup());

  it('a new database at schema 19: every table, index and trigger, and every seeded row, as before the migrations were frozen', () => {
    // testing/schema-19.sql was written by the code of migrations.ts before this change (the SQL
    // imported from the feature modules): the same dump, byte for byte.
    const opened = openDatabase(tmp.file('clinic.db'), { migrations: MIGRATIONS.filter((m) => m.version <= 19), backupBeforeMigration: false });
    if (!opened.ok || opened.state !== 'ok') throw new Error('did not open');
    try {
      expect(schemaDump(opened.db)).toBe(fs.readFileSync(path.join(import.meta.dirname, 'testing', 'schema-19.sql'), 'utf8'));
    } finally {
      opened.db.close();
    }
  });
});
