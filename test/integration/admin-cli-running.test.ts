import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFilePath } from '../../sync/platform/platform-run-file';
import { startPlatform, type RunningPlatform } from '../../sync/platform/start-platform';
import { runAdminCli, type CliResult } from '../support/admin-cli';

let folder: string;
let platform: RunningPlatform | null = null;

/** The CLI on the embedded database in `folder`, never on DATABASE_URL. */
async function cli(...args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, YUEXUE_DATA_DIR: folder };
  delete env.DATABASE_URL;
  delete env.PLATFORM_ADMIN_TOKEN;
  return runAdminCli(args, env);
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'yx-cli-running-'));
  platform = await startPlatform({ dataDir: join(folder, 'platform-db'), adminToken: undefined });
});

afterAll(async () => {
  await platform?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('platform:admin while the platform runs on the same data folder', () => {
  it('leaves a run file only its user can read, naming a loopback URL', async () => {
    const path = runFilePath(join(folder, 'platform-db'));
    expect((await stat(path)).mode & 0o077).toBe(0);
    const content = JSON.parse(await readFile(path, 'utf8')) as { pid: number; url: string };
    expect(content.pid).toBe(process.pid);
    expect(content.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('goes through the running platform: what it writes, the platform sees at once, and reports read live data', async () => {
    const added = await cli('site', 'add', '--id', 'SG-ZHENJIANG', '--name', '浈江');
    expect(added.stderr).toContain('through the platform running at');
    expect(added.code).toBe(0);
    expect((await platform!.database.pool.query(`select name from sites where id = 'SG-ZHENJIANG'`)).rows).toEqual([{ name: '浈江' }]);
    const csv = join(folder, 'learners.csv');
    await writeFile(csv, 'id,display_name,home_site_id\nSG1,甲,SG-ZHENJIANG\nSG2,乙,NOWHERE\n');
    const imported = await cli('learners', 'import', csv);
    expect(imported.code).toBe(1);
    expect(imported.stdout).toContain('1 learner(s) imported');
    expect(imported.stderr).toContain('line 3: home_site_id "NOWHERE" is not a known site');
    const duplicate = await cli('site', 'add', '--id', 'SG-ZHENJIANG', '--name', '浈江');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('Site SG-ZHENJIANG already exists.');
    const rotated = await cli('issuer-key', 'rotate', '--id', 'sg-key-2');
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain('Issuer key sg-key-2 now signs new cards.');
    expect((await cli('issuer-key', 'list')).stdout).toMatch(/^sg-key-2\tactive\t/m);
    expect((await cli('issuer-key', 'retire', 'no-such-key')).stderr).toContain('Issuer key no-such-key does not exist.');
  }, 120_000);

  it('opens the database itself once the platform has stopped, and ignores a run file left by a crash', async () => {
    await platform!.close();
    platform = null;
    await expect(stat(runFilePath(join(folder, 'platform-db')))).rejects.toThrow();
    await writeFile(runFilePath(join(folder, 'platform-db')), JSON.stringify({ pid: 2 ** 22 + 12345, url: 'http://127.0.0.1:9', adminToken: 'x', startedAt: '' }));
    const report = await cli('report', 'attendance', '--site', 'SG-ZHENJIANG');
    expect(report.stderr).not.toContain('through the platform');
    expect(report.stdout.trim()).toBe('site_id,day,learner_id,display_name,sessions');
    const sites = await cli('learners', 'import', join(folder, 'learners.csv'));
    expect(sites.stdout).toContain('1 learner(s) imported');
  }, 120_000);
});
