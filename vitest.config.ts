import { defineConfig } from 'vitest/config';

// Projects so a quick run can pick one: unit (pure modules, RxDB on fake-indexeddb),
// integration (real HTTP, PGlite or DATABASE_URL) and integration-partitioned (some of those
// again on partitioned tables), e2e (headless Chromium via playwright-core).
export default defineConfig({
  test: {
    // Vitest's default is one fewer worker than cores: one on the 2-core CI machine. Unit and
    // integration files spend much of their time waiting (on PostgreSQL, child processes, the
    // network), so two at a time keeps both cores busy.
    maxWorkers: 2,
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Files run side by side: each has its own platform database (a scratch PostgreSQL
          // database or an in-memory PGlite), temporary folders and ports chosen by the system.
          // One migrated database a run, which test platforms copy (test/support/migrated-database.ts);
          // the operator commands tests run as processes, bundled once (test/support/built-commands.ts).
          globalSetup: ['test/support/migrated-database.ts', 'test/support/built-commands.ts'],
        },
      },
      {
        test: {
          // The push, pull and ledger tests again, on the schema an operator gets from
          // `platform:admin -- partition-tables` (docs/platform.md): hash-partitioned attendance,
          // progress and ledger. Few files, so it adds seconds, not minutes, to a run.
          name: 'integration-partitioned',
          include: ['test/integration/replication.test.ts', 'test/integration/ledger-scope.test.ts'],
          env: { YX_TEST_SCHEMA: 'partitioned' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
          globalSetup: ['test/support/migrated-database.ts', 'test/support/partitioned-database.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Finds Chromium or Chrome, installing one on a machine that has none (test/support/find-chromium.ts).
          // Then the migrated database test platforms copy (test/support/migrated-database.ts).
          globalSetup: ['test/support/e2e-global-setup.ts', 'test/support/migrated-database.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
