import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The module boundaries in eslint.config.js, tried on one import at a time from where it would be.
const eslint = new ESLint({ cwd: fileURLToPath(new URL('../..', import.meta.url)) });

async function restricted(file: string, specifier: string): Promise<boolean> {
  const [result] = await eslint.lintText(`import '${specifier}';\n`, { filePath: file });
  return result!.messages.some((m) => m.ruleId === 'no-restricted-imports');
}

const ALLOWED: [string, string][] = [
  ['sync/protocol/learner-card.ts', './base64url'],
  ['sync/kiosk/kiosk-replication.ts', '../protocol/replication'],
  ['sync/platform/server.ts', '../protocol/enrolment'],
  ['sync/platform/admin/cli.ts', '../database'],
  ['sync/platform/admin/cli.ts', '../../protocol/enrolment'],
  ['sync/platform/demo-seed.ts', '../../assets/demo-courses'],
  ['renderer/checkin/check-in.ts', '../../sync/protocol/learner-card'],
  ['renderer/checkin/check-in.ts', '../components/ScreenFrame'],
  ['renderer/App.tsx', '../sync/kiosk/kiosk-replication'],
  ['electron/host/kiosk-config.ts', '../../sync/protocol/enrolment'],
  ['electron/host/kiosk-config.ts', '../../sync/kiosk/kiosk-replication'],
  ['electron/host/course-cache/course-cache.ts', '../atomic-write'],
  ['electron/main.ts', './host/kiosk-folder'],
  ['electron/main.ts', '../sync/protocol/enrolment'],
  ['scripts/start.ts', '../sync/platform/demo-seed'],
  ['scripts/start.ts', '../assets/demo-courses'],
  ['test/unit/x.test.ts', '../../sync/platform/demo-seed'],
  ['bench/x.bench.ts', '../electron/host/kiosk-host'],
];

const REFUSED: [string, string][] = [
  ['sync/protocol/learner-card.ts', '../kiosk/kiosk-replication'],
  ['sync/protocol/learner-card.ts', '../../electron/host/atomic-write'],
  ['sync/kiosk/kiosk-replication.ts', '../platform/server'],
  ['sync/platform/main.ts', '../../electron/host/kiosk-config'],
  ['sync/platform/admin/cli.ts', '../../../electron/host/atomic-write'],
  ['sync/platform/admin/cli.ts', '../../kiosk/kiosk-replication'],
  ['sync/platform/admin/cli.ts', '../demo-seed'],
  ['sync/platform/server.ts', '../../assets/demo-courses'],
  ['renderer/App.tsx', '../sync/platform/server'],
  ['renderer/checkin/check-in.ts', '../../electron/host/kiosk-config'],
  ['renderer/checkin/check-in.ts', '../../assets/demo-courses'],
  ['electron/host/kiosk-config.ts', '../kiosk-window'],
  ['electron/host/kiosk-config.ts', '../../sync/platform/database'],
  ['electron/host/course-cache/course-cache.ts', '../../../renderer/App'],
  ['electron/main.ts', '../sync/kiosk/kiosk-replication'],
  ['electron/main.ts', '../renderer/App'],
  ['scripts/kiosk.ts', '../sync/platform/demo-seed'],
  ['scripts/kiosk.ts', '../assets/demo-courses'],
];

describe('module boundaries (eslint.config.js)', () => {
  it.each(ALLOWED)('%s may import %s', async (file, specifier) => {
    expect(await restricted(file, specifier)).toBe(false);
  });

  it.each(REFUSED)('%s may not import %s', async (file, specifier) => {
    expect(await restricted(file, specifier)).toBe(true);
  });
});
