#!/usr/bin/env node
// The `reservoir` command: runs the TypeScript CLI (electron/cli/main.ts) under plain Node via tsx.
import { register } from 'tsx/esm/api';

register();
// Everything a command writes (databases, backups, exports, reports) is owner-only (docs/security.md).
const { restrictUmask } = await import('../electron/services/store/private-files.ts');
restrictUmask();
const { mainAsync } = await import('../electron/cli/main.ts');
process.exitCode = await mainAsync(process.argv.slice(2));
