import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * The operator commands the integration tests run in processes of their own (`npm run
 * platform:admin`, `npm run kiosk`), bundled once a run. Started through tsx, each of some fifty
 * runs a test run spent about 2.4 s of CPU loading tsx and compiling the TypeScript (1 s on an
 * idle machine, ten and more on a loaded one); the bundle starts in about 0.9 s of CPU. The
 * commands are the same source: imports of the project's files are bundled, packages stay
 * imports, resolved from the project's node_modules through a link beside the bundle.
 *
 * vitest globalSetup of the integration project; the bundles' paths reach the test workers through
 * the environment (YX_TEST_ADMIN_CLI, YX_TEST_KIOSK_COMMAND), as test/support/migrated-database.ts does.
 */

const COMMANDS = {
  YX_TEST_ADMIN_CLI: 'sync/platform/admin/cli.ts',
  YX_TEST_KIOSK_COMMAND: 'scripts/kiosk.ts',
} as const;

/**
 * Modules find their folders (migrations, the built renderer) from import.meta.url: each file
 * keeps its own source address rather than the bundle's.
 */
const sourceImportMetaUrl: Plugin = {
  name: 'source-import-meta-url',
  setup(builder) {
    builder.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return {
        contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: args.path.endsWith('x') ? 'tsx' : 'ts',
      };
    });
  },
};

export default async function setup(): Promise<() => Promise<void>> {
  const folder = await mkdtemp(join(tmpdir(), 'yx-test-commands-'));
  await symlink(resolve('node_modules'), join(folder, 'node_modules'), 'dir');
  await Promise.all(
    Object.entries(COMMANDS).map(async ([variable, entry]) => {
      const outfile = join(folder, entry.replace(/[/.]/g, '-') + '.mjs');
      await build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        packages: 'external',
        platform: 'node',
        format: 'esm',
        target: 'node20',
        logLevel: 'warning',
        plugins: [sourceImportMetaUrl],
      });
      process.env[variable] = outfile;
    }),
  );
  return async () => {
    delete process.env.YX_TEST_ADMIN_CLI;
    delete process.env.YX_TEST_KIOSK_COMMAND;
    await rm(folder, { recursive: true, force: true });
  };
}

/** The bundle of a command, as the global setup left it. */
export function builtCommand(variable: keyof typeof COMMANDS): string {
  const file = process.env[variable];
  if (!file) throw new Error(`${variable} is not set: test/support/built-commands.ts runs as the integration project's globalSetup.`);
  return file;
}
