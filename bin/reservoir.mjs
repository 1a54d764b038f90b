#!/usr/bin/env node
// The `reservoir` command: runs the TypeScript CLI (electron/cli/main.ts) under plain Node via tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = main(process.argv.slice(2));
