import { posix } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * Module boundaries (README, "Boundaries"): each runtime imports only its own folder and the
 * folders it is allowed; sync/protocol, the contracts, imports nothing of the project.
 *
 * no-restricted-imports sees the import text, not the resolved file, so the rule is written per
 * folder depth: from a file k folders below `region`, an import that climbs k+1 levels has left
 * the region, and what follows the climb must lead into an allowed folder.
 */
const SOURCE = '*.{ts,tsx,mts,js,mjs}';
const MAX_DEPTH = 4;
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Demo data (the demo seed and the demo courses) belongs to `npm start`, the seed and tests only. */
const NO_DEMO_DATA = {
  group: ['**/demo-seed', '**/demo-seed.ts', '**/assets/**'],
  message: 'Demo data is for the demo launcher (scripts/start.ts), the seed and tests only.',
};

function importsOutside(region, allowed, message, depth) {
  const parent = posix.dirname(region);
  const allowedAfterClimb = allowed.map((folder) => `${escape(posix.relative(parent, folder))}/`);
  const rest = allowedAfterClimb.length > 0 ? `(?!${allowedAfterClimb.join('|')})` : '';
  return { regex: `^(\\.\\./){${depth + 1}}${rest}`, message };
}

/**
 * One config block per depth below `region`. `only` limits the blocks to files directly in the
 * region (for electron/, whose host/ folder has rules of its own); `also` adds patterns.
 */
function boundary({ region, allowed, message, only = false, also = [], ignores = [] }) {
  const depths = only ? [0] : Array.from({ length: MAX_DEPTH }, (_, depth) => depth);
  return depths.map((depth) => ({
    files: [`${region}/${'*/'.repeat(depth)}${SOURCE}`],
    ignores,
    rules: { 'no-restricted-imports': ['error', { patterns: [importsOutside(region, allowed, message, depth), ...also] }] },
  }));
}

const RENDERER_ALLOWED = ['sync/protocol', 'sync/kiosk'];
const RENDERER_MESSAGE = 'The renderer imports only sync/protocol, sync/kiosk and itself.';

export default tseslint.config(
  { ignores: ['dist/', 'dist-electron/', 'release/', 'node_modules/', '.data/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests may assert what they just arranged.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'console/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  ...boundary({ region: 'sync/protocol', allowed: [], message: 'sync/protocol holds the contracts and imports nothing of the project.' }),
  ...boundary({ region: 'sync/kiosk', allowed: ['sync/protocol'], message: 'sync/kiosk imports only sync/protocol and itself.' }),
  ...boundary({
    region: 'sync/platform',
    allowed: ['sync/protocol'],
    message: 'The platform imports only sync/protocol and itself.',
    also: [NO_DEMO_DATA],
    ignores: ['sync/platform/demo-seed.ts'],
  }),
  {
    // The seed is the demo: it may read the demo courses.
    files: ['sync/platform/demo-seed.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [importsOutside('sync/platform', ['sync/protocol', 'assets'], 'The demo seed imports only sync/protocol, the demo courses and the platform.', 0)] }],
    },
  },
  ...boundary({
    region: 'electron/host',
    allowed: ['sync/protocol', 'sync/kiosk'],
    message: 'The kiosk host imports only sync/protocol, sync/kiosk and itself.',
  }),
  ...boundary({ region: 'electron', only: true, allowed: ['sync/protocol'], message: 'The Electron main process imports only electron/ and sync/protocol.' }),
  ...boundary({ region: 'renderer', allowed: RENDERER_ALLOWED, message: RENDERER_MESSAGE }),
  {
    // The production kiosk launcher: no demo data.
    files: ['scripts/kiosk.ts', 'scripts/install-electron-binary.mjs'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_DEMO_DATA] }] },
  },
);
