// What the installed app keeps of node_modules: the native database driver and what it loads at run
// time. Everything else is inside the esbuild bundles (scripts/build-electron.mjs). electron-builder.yml
// keeps exactly these (checked by electron/main/packaging.test.ts); scripts/bundles.test.ts runs the
// bundles beside a node_modules holding only these.
export const RUNTIME_PACKAGES = ['better-sqlite3-multiple-ciphers', 'bindings', 'file-uri-to-path'];
