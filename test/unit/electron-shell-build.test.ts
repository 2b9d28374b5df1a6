import { builtinModules } from 'node:module';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { OPTIONAL_NATIVE_ADDONS, shellBuilds } from '../../electron/build-shell';

// `node:`-only built-ins (node:sqlite, which undici probes for) are not in builtinModules.
const isAllowed = (path: string) =>
  path === 'electron' || path.startsWith('node:') || builtinModules.includes(path) || OPTIONAL_NATIVE_ADDONS.includes(path);

describe('the Electron shell build', () => {
  it.each(Object.keys(shellBuilds) as (keyof typeof shellBuilds)[])('%s needs nothing at run time but Electron and Node built-ins', async (name) => {
    const result = await build({ ...shellBuilds[name], write: false, metafile: true });
    const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports.filter((i) => i.external).map((i) => i.path));
    expect(imports.filter((path) => !isAllowed(path))).toEqual([]);
    // The platform's database stays out of the kiosk.
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((path) => /node_modules\/(pg|@electric-sql|node-pg-migrate)\//.test(path))).toEqual([]);
  });
});
