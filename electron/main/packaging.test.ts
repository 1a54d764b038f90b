/**
 * Packaging that can be checked without the Electron download: electron-builder.yml against
 * electron-builder's own JSON schema, the fuses, the icon, the bundles' externals, what the
 * installers carry of node_modules, and the `reservoir` launchers.
 */
import Ajv from 'ajv';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGES_CHANNEL, IPC_CHANNEL } from '../../shared/contract/names';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  [key: string]: unknown;
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; category: string; maintainer: string; icon: string; executableName: string; extraResources: { from: string; to: string }[] };
  deb: { afterInstall: string; afterRemove: string };
  win: { target: string[]; extraResources: { from: string; to: string }[] };
  mac: { target: string[]; extraResources: { from: string; to: string }[] };
  npmRebuild: boolean;
}
const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own configuration schema (app-builder-lib/scheme.json)", () => {
    const schemaFile = require.resolve('app-builder-lib/scheme.json');
    const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const valid = validate(structuredClone(config));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("passes electron-builder's own validateConfiguration", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(c: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
    };
    await expect(validateConfiguration(structuredClone(config), { isEnabled: false, add() {} })).resolves.toBeUndefined();
  });

  it('rejects a misspelt option (the schema check is real)', () => {
    const schema = JSON.parse(fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate({ ...config, asarUnpak: ['**/*.node'] })).toBe(false);
  });

  it('names the app and its four targets', () => {
    expect(config.appId).toBe('org.reservoir.console');
    expect(config.productName).toBe('Reservoir');
    expect(config.directories.output).toBe('release');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.linux.category).toContain('MedicalSoftware');
    expect(config.linux.maintainer).toMatch(/<.+@.+>/);
  });

  it('packs the built app and keeps native modules out of the archive', () => {
    expect(config.files).toEqual(expect.arrayContaining(['dist/renderer/**/*', 'dist-electron/**/*', 'package.json']));
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.npmRebuild).toBe(true);
  });

  it('flips the fuses at package time (no RunAsNode, NODE_OPTIONS or --inspect; asar only, with integrity)', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // electron-builder applies them through @electron/fuses, which must be installed
    expect(() => require.resolve('@electron/fuses')).not.toThrow();
  });
});

describe('build/icon.png', () => {
  const png = fs.readFileSync(path.join(root, 'build/icon.png'));

  it('is a 512×512 RGBA PNG', () => {
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(512);
    expect(png.readUInt32BE(20)).toBe(512);
    expect(png[25]).toBe(6);
  });

  it('is what build/make-icon.mjs draws', async () => {
    const { makeIconPng } = (await import(pathToFileURL(path.join(root, 'build/make-icon.mjs')).href)) as { makeIconPng(): Buffer };
    expect(makeIconPng().equals(png)).toBe(true);
  });
});

describe('preload bundle (dist-electron/preload.cjs)', () => {
  it('requires only electron and carries neither zod nor the services', async () => {
    const { electronBuildOptions } = (await import(pathToFileURL(path.join(root, 'scripts/build-electron.mjs')).href)) as {
      electronBuildOptions: (o: { root: string; outdir: string }) => Array<Record<string, unknown>>;
    };
    const esbuild = await import('esbuild');
    const options = electronBuildOptions({ root, outdir: path.join(root, 'dist-electron') })[1]!;
    expect(options).toMatchObject({ platform: 'node', format: 'cjs', target: 'node20', external: ['electron', 'better-sqlite3-multiple-ciphers'] });
    const result = await esbuild.build({ ...options, write: false, sourcemap: false, metafile: true });
    const code = result.outputFiles[0]!.text;
    expect([...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(code).not.toMatch(/zod/i);
    // the contract's types vanish: only the preload, the dependency-free names and the notice check are inside
    expect(Object.keys(result.metafile.inputs).sort()).toEqual(['electron/preload/preload.ts', 'shared/contract/changes.ts', 'shared/contract/names.ts']);
    expect(code).toContain(JSON.stringify(IPC_CHANNEL));
    expect(code).toContain(JSON.stringify(CHANGES_CHANNEL));
  });
});

describe('main bundle (dist-electron/main.cjs)', () => {
  it('keeps electron and better-sqlite3 external and needs no other package at run time', async () => {
    const { electronBuildOptions } = (await import(pathToFileURL(path.join(root, 'scripts/build-electron.mjs')).href)) as {
      electronBuildOptions: (o: { root: string; outdir: string }) => Array<Record<string, unknown>>;
    };
    const esbuild = await import('esbuild');
    const options = electronBuildOptions({ root, outdir: path.join(root, 'dist-electron') })[0]!;
    expect(options).toMatchObject({ platform: 'node', format: 'cjs', target: 'node20', sourcemap: true });
    const result = await esbuild.build({ ...options, write: false, sourcemap: false });
    const code = result.outputFiles[0]!.text;
    const required = new Set([...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]!));
    for (const name of required) expect(name === 'electron' || name === 'better-sqlite3-multiple-ciphers' || name.startsWith('node:')).toBe(true);
    expect(required).toContain('electron');
    expect(required).toContain('better-sqlite3-multiple-ciphers');
  }, 60_000);
});

type BundleOptions = Array<Record<string, unknown>>;
async function bundleOptions(): Promise<BundleOptions> {
  const { electronBuildOptions } = (await import(pathToFileURL(path.join(root, 'scripts/build-electron.mjs')).href)) as {
    electronBuildOptions: (o: { root: string; outdir: string }) => BundleOptions;
  };
  return electronBuildOptions({ root, outdir: path.join(root, 'dist-electron') });
}
/** The packages a bundle loads at run time (esbuild's metafile: its external imports, require() and import()), Node's own modules aside. */
const externalPackages = (metafile: { outputs: Record<string, { imports: { path: string; external?: boolean }[] }> }) =>
  new Set(
    Object.values(metafile.outputs)
      .flatMap((o) => o.imports)
      .filter((i) => i.external === true && !i.path.startsWith('node:') && !builtinModules.includes(i.path))
      .map((i) => i.path),
  );
const { builtinModules } = require('node:module') as { builtinModules: string[] };

describe('the CLI, browser-shell and worker bundles (cli.cjs, web.cjs, report-worker.cjs)', () => {
  it('require only the native driver (and, lazily, playwright-core for PDFs under Node); everything else is inside', async () => {
    const esbuild = await import('esbuild');
    const all = await bundleOptions();
    const allowed: Record<string, string[]> = {
      'cli.cjs': ['better-sqlite3-multiple-ciphers', 'playwright-core'],
      'web.cjs': ['better-sqlite3-multiple-ciphers', 'playwright-core'],
      'report-worker.cjs': ['better-sqlite3-multiple-ciphers'],
    };
    for (const [file, packages] of Object.entries(allowed)) {
      const options = all.find((o) => path.basename(String(o.outfile)) === file)!;
      expect(options, file).toBeDefined();
      const result = await esbuild.build({ ...options, write: false, sourcemap: false, logLevel: 'silent', metafile: true });
      expect(result.warnings, file).toEqual([]);
      expect([...externalPackages(result.metafile)].sort(), file).toEqual(packages);
    }
  }, 120_000);
});

describe('what the installers carry of node_modules', () => {
  // @ts-expect-error: a plain ESM script without types
  const runtime = import('../../scripts/lib/runtime-packages.mjs') as Promise<{ RUNTIME_PACKAGES: string[] }>;
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };

  /** electron-builder's own filter for node_modules files (only the `!` patterns of `files` apply there). */
  function nodeModulesFilter(): (relative: string) => boolean {
    const { getNodeModuleFileMatcher } = require('app-builder-lib/out/fileMatcher') as {
      getNodeModuleFileMatcher(appDir: string, dest: string, expand: (s: string) => string, platform: object, packager: object): { createFilter(): (file: string, stat: object) => boolean };
    };
    const filter = getNodeModuleFileMatcher('/app', '/out', (s) => s, {}, { config: structuredClone(config), debugLogger: { isEnabled: false } }).createFilter();
    return (relative) => filter(`/app/${relative}`, { moduleFullFilePath: relative, isDirectory: () => false });
  }

  it("package.json's dependencies are the native driver alone: every other package is bundled (devDependencies)", () => {
    expect(Object.keys(pkg.dependencies)).toEqual(['better-sqlite3-multiple-ciphers']);
  });

  it('of the production dependency tree, exactly the driver and what it loads at run time are packed', async () => {
    const { RUNTIME_PACKAGES } = await runtime;
    const keep = nodeModulesFilter();
    const production = Object.entries(lock.packages)
      .filter(([k, v]) => k.startsWith('node_modules/') && v.dev !== true)
      .map(([k]) => k);
    expect(production.length).toBeGreaterThan(RUNTIME_PACKAGES.length); // prebuild-install's tree is there to drop
    const packed = production.filter((dir) => keep(`${dir}/package.json`)).map((dir) => dir.slice('node_modules/'.length));
    expect(packed.sort()).toEqual([...RUNTIME_PACKAGES].sort());
    expect(keep('node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node')).toBe(true);
    expect(keep('node_modules/better-sqlite3-multiple-ciphers/lib/index.js')).toBe(true);
    expect(keep('node_modules/better-sqlite3-multiple-ciphers/deps/sqlite3/sqlite3.c')).toBe(false);
  });

  it('a bundled package put back into dependencies would still not be packed (the attack: exceljs, playwright-core, zod… in app.asar again)', () => {
    const keep = nodeModulesFilter();
    for (const name of ['exceljs', 'playwright-core', 'zod', 'tsx', 'csv-parse', 'csv-stringify', 'selfsigned', '@peculiar/x509', 'esbuild', '@esbuild/linux-x64'])
      expect(keep(`node_modules/${name}/package.json`), name).toBe(false);
    expect(keep('node_modules/better-sqlite3-multiple-ciphers/node_modules/prebuild-install/index.js')).toBe(false);
  });
});

describe('the `reservoir` launchers', () => {
  it('are packed as resources/bin/reservoir (Linux, macOS) and resources\\bin\\reservoir.cmd (Windows)', () => {
    expect(config.linux.executableName).toBe('reservoir');
    expect(config.linux.extraResources).toEqual([{ from: 'build/bin/reservoir', to: 'bin/reservoir' }]);
    expect(config.mac.extraResources).toEqual([{ from: 'build/bin/reservoir', to: 'bin/reservoir' }]);
    expect(config.win.extraResources).toEqual([{ from: 'build/bin/reservoir.cmd', to: 'bin/reservoir.cmd' }]);
    expect(fs.statSync(path.join(root, 'build/bin/reservoir')).mode & 0o111).not.toBe(0);
  });

  it("the deb links /usr/bin/reservoir to the launcher: electron-builder's own scripts, changed in that path alone", () => {
    const upstream = path.dirname(require.resolve('app-builder-lib/templates/linux/after-install.tpl'));
    const ours = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');
    const theirs = (f: string) => fs.readFileSync(path.join(upstream, f), 'utf8');
    const launcher = "'/opt/${sanitizedProductName}/resources/bin/${executable}'";
    const binary = "'/opt/${sanitizedProductName}/${executable}'";
    expect(config.deb).toMatchObject({ afterInstall: 'build/linux/after-install.tpl', afterRemove: 'build/linux/after-remove.tpl' });
    expect(ours(config.deb.afterInstall)).toContain(`${launcher} '/usr/bin/\${executable}'`);
    expect(ours(config.deb.afterInstall).replaceAll(launcher, binary)).toBe(theirs('after-install.tpl'));
    expect(ours(config.deb.afterRemove).replaceAll(launcher, binary)).toBe(theirs('after-remove.tpl'));
    expect(ours(config.deb.afterRemove)).toContain(`--remove '\${executable}' ${launcher}`);
  });

  it('Windows: reservoir.cmd runs Reservoir.exe --cli with every argument and returns its exit code', () => {
    const cmd = fs.readFileSync(path.join(root, 'build/bin/reservoir.cmd'), 'utf8');
    expect(cmd).toMatch(/\r\n/);
    expect(cmd).toContain('"%~dp0..\\..\\Reservoir.exe" --cli %*\r\n');
    expect(cmd.trimEnd().split('\r\n').at(-1)).toBe('exit /b %ERRORLEVEL%');
  });

  describe.skipIf(process.platform === 'win32')('Linux: build/bin/reservoir, run in a copy of the installed layout', () => {
    let opt: string;
    beforeAll(() => {
      opt = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-launcher-'));
      fs.mkdirSync(path.join(opt, 'resources', 'bin'), { recursive: true });
      fs.copyFileSync(path.join(root, 'build/bin/reservoir'), path.join(opt, 'resources', 'bin', 'reservoir'));
      fs.chmodSync(path.join(opt, 'resources', 'bin', 'reservoir'), 0o755);
      // The app binary's stand-in: prints its arguments, one a line, and exits 3.
      fs.writeFileSync(path.join(opt, 'reservoir'), '#!/bin/sh\nfor a in "$@"; do echo "$a"; done\nexit 3\n', { mode: 0o755 });
      fs.mkdirSync(path.join(opt, 'usr-bin'));
      fs.symlinkSync(path.join(opt, 'resources', 'bin', 'reservoir'), path.join(opt, 'usr-bin', 'reservoir'));
    });
    afterAll(() => fs.rmSync(opt, { recursive: true, force: true }));
    const run = (args: string[], display: Record<string, string>) => {
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...display };
      const r = spawnSync(path.join(opt, 'usr-bin', 'reservoir'), args, { env, encoding: 'utf8' });
      return { code: r.status, args: r.stdout.split('\n').filter((l) => l !== '') };
    };

    it('execs the app binary through the /usr/bin symlink with the arguments as given, passing its exit code', () => {
      expect(run(['report', 'activity', '--out', 'a file.csv'], { DISPLAY: ':0' })).toEqual({ code: 3, args: ['report', 'activity', '--out', 'a file.csv'] });
      expect(run([], { DISPLAY: ':0' })).toEqual({ code: 3, args: [] });
    });

    it('without a display (cron, ssh, a server) a command runs on Ozone\'s headless platform', () => {
      expect(run(['worklist', '--db', 'c.db'], {})).toEqual({ code: 3, args: ['--ozone-platform=headless', '--disable-gpu', 'worklist', '--db', 'c.db'] });
      expect(run(['worklist'], { WAYLAND_DISPLAY: 'wayland-0' }).args).toEqual(['worklist']);
    });
  });
});
