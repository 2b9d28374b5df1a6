/**
 * Builds the Electron shell into dist-electron/: the main process (with the kiosk host and every
 * package it uses bundled in, so the packaged app carries no node_modules and none of the
 * platform's database packages) and the sandboxed preload. `npm run build:electron`.
 */
import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const OPTIONAL_NATIVE_ADDONS = ['bufferutil', 'utf-8-validate'];

export const shellBuilds: Record<'main' | 'preload', BuildOptions> = {
  main: {
    absWorkingDir: root,
    entryPoints: ['electron/main.ts'],
    outfile: 'dist-electron/main.mjs',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // Electron provides `electron` itself. ws (under the sync proxy) tries its optional native
    // speed-ups in a try/catch and runs without them.
    external: ['electron', ...OPTIONAL_NATIVE_ADDONS],
    // Bundled CommonJS packages still call require() for Node's built-ins, which an ES module
    // has to be given.
    banner: { js: "import { createRequire as __shellRequire } from 'node:module'; const require = __shellRequire(import.meta.url);" },
    logLevel: 'warning',
  },
  preload: {
    absWorkingDir: root,
    entryPoints: ['electron/preload.ts'],
    outfile: 'dist-electron/preload.cjs',
    bundle: true,
    platform: 'node',
    // Sandboxed preloads cannot be ES modules.
    format: 'cjs',
    external: ['electron'],
    logLevel: 'warning',
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await Promise.all(Object.values(shellBuilds).map((options) => build(options)));
}
