/**
 * Packaging that can be checked without the Electron download: electron-builder.yml against
 * electron-builder's own JSON schema, the fuses, the icon, and the main bundle's externals.
 */
import Ajv from 'ajv';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IPC_CHANNEL } from '../../shared/contract/names';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; category: string; maintainer: string; icon: string };
  win: { target: string[] };
  mac: { target: string[] };
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
    // the contract's types vanish: only the preload and the dependency-free names are inside
    expect(Object.keys(result.metafile.inputs).sort()).toEqual(['electron/preload/preload.ts', 'shared/contract/names.ts']);
    expect(code).toContain(JSON.stringify(IPC_CHANNEL));
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
