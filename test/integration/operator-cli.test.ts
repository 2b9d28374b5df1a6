import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../sync/platform/database';
import { signIn } from '../../sync/platform/console/operator-sessions';
import { runAdminCli, type CliResult } from '../support/admin-cli';
import { scratchDatabaseUrl } from '../support/platform';

let folder: string;
let scratch: Awaited<ReturnType<typeof scratchDatabaseUrl>>;

async function cli(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  const fullEnv = { ...process.env, YUEXUE_DATA_DIR: folder, ...(scratch.url ? { DATABASE_URL: scratch.url } : {}), ...env };
  return runAdminCli(args, fullEnv);
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'yx-operator-cli-'));
  scratch = await scratchDatabaseUrl();
});

afterAll(async () => {
  await scratch?.drop();
  await rm(folder, { recursive: true, force: true });
});

describe('platform:admin operator add', () => {
  it('adds the first province admin, who can then sign in; refuses a short password and a site manager without a site', async () => {
    const password = { PLATFORM_OPERATOR_PASSWORD: 'a long enough password' };
    const added = await cli(password, 'operator', 'add', '--login', 'Wang.Fang', '--name', '王芳', '--role', 'province-admin');
    expect(added.stderr).toBe('');
    expect(added.stdout).toContain('Operator wang.fang (province-admin) added');
    const short = await cli({ PLATFORM_OPERATOR_PASSWORD: 'short' }, 'operator', 'add', '--login', 'li.hua', '--name', '李华', '--role', 'province-admin');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 12 characters');
    const siteless = await cli(password, 'operator', 'add', '--login', 'li.ming', '--name', '李明', '--role', 'site-manager');
    expect(siteless.stderr).toContain('needs at least one site');
    const badRole = await cli(password, 'operator', 'add', '--login', 'li.ming', '--name', '李明', '--role', 'king');
    expect(badRole.code).toBe(2);
    const database = await openDatabase({ databaseUrl: scratch.url, dataDir: scratch.url ? undefined : join(folder, 'platform-db') });
    try {
      const result = await signIn(database.pool, 'wang.fang', 'a long enough password');
      expect(result.ok && result.operator.role).toBe('province-admin');
      const { rows } = await database.pool.query(`select password_hash from operators where login = 'wang.fang'`);
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect((await database.pool.query(`select 1 from operators where login = 'li.ming'`)).rowCount).toBe(0);
    } finally {
      await database.close();
    }
  }, 180_000);
});
