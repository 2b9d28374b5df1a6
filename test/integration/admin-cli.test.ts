import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCli, type CliResult } from '../support/admin-cli';
import { scratchDatabaseUrl } from '../support/platform';

let folder: string;
let scratch: Awaited<ReturnType<typeof scratchDatabaseUrl>>;

/** The CLI as an operator runs it: its own process, on DATABASE_URL or the data folder's PGlite. */
async function cli(...args: string[]): Promise<CliResult> {
  const env = { ...process.env, YUEXUE_DATA_DIR: folder, ...(scratch.url ? { DATABASE_URL: scratch.url } : {}) };
  return runAdminCli(args, env);
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'yx-cli-'));
  scratch = await scratchDatabaseUrl();
});

afterAll(async () => {
  await scratch?.drop();
  await rm(folder, { recursive: true, force: true });
});

describe('platform:admin CLI', () => {
  it('adds a site, imports learners with a line-numbered report, and writes an A4 card sheet', async () => {
    expect((await cli('site', 'add', '--id', 'JM-PENGJIANG', '--name', '蓬江')).code).toBe(0);
    const csv = join(folder, 'learners.csv');
    await writeFile(csv, 'id,display_name,home_site_id\nJM1,甲,JM-PENGJIANG\nJM2,,JM-PENGJIANG\n');
    const imported = await cli('learners', 'import', csv);
    expect(imported.code).toBe(1);
    expect(imported.stdout).toContain('1 learner(s) imported');
    expect(imported.stderr).toContain('line 3: display_name');
    const sheet = join(folder, 'cards.html');
    expect((await cli('cards', '--site', 'JM-PENGJIANG', '--out', sheet)).code).toBe(0);
    const html = await readFile(sheet, 'utf8');
    expect(html.match(/<svg/g)).toHaveLength(1);
    expect(html).toContain('JM1');
    const report = await cli('report', 'attendance', '--site', 'JM-PENGJIANG');
    expect(report.stdout.trim()).toBe('site_id,day,learner_id,display_name,sessions');
  }, 120_000);

  it('lists kiosks waiting for approval, and names an unknown code or site', async () => {
    const list = await cli('enrol-request', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('0 kiosk(s) waiting for approval');
    const unknown = await cli('enrol-request', 'approve', 'bbbb-bbbb', '--site', 'JM-PENGJIANG');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No kiosk is asking to enrol with code BBBB-BBBB');
    expect((await cli('--help')).stdout).toContain('enrol-request approve CODE --site SITE');
    const noSite = await cli('cards', '--site', 'NO-SUCH-SITE');
    expect(noSite.code).toBe(1);
    expect(noSite.stderr).toContain('Site NO-SUCH-SITE does not exist. Add it with `site add`');
  }, 120_000);

  it('explains an unknown command with the usage', async () => {
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Usage: npm run platform:admin');
  }, 60_000);

  it('rotates the card signing key, and retires the old one only once another signs', async () => {
    // The card sheet above made the first key, named by the year.
    const year = new Date().getUTCFullYear();
    expect((await cli('issuer-key', 'list')).stdout).toMatch(new RegExp(`^gd-${year}a\tactive\t.*\t1 card\\(s\\)$`, 'm'));
    const refused = await cli('issuer-key', 'retire', `gd-${year}a`);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('rotate to a new key first');
    const rotated = await cli('issuer-key', 'rotate');
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain(`Issuer key gd-${year}b now signs new cards. gd-${year}a: verify-only`);
    const retired = await cli('issuer-key', 'retire', `gd-${year}a`);
    expect(retired.code).toBe(0);
    expect(retired.stdout).toContain('1 learner(s) need a new card');
  }, 120_000);

  // Last: it leaves this file's database partitioned.
  it('partitions the large tables once, and refuses a second time', async () => {
    const first = await cli('partition-tables', '--partitions', '3');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('attendance: 0 row(s) moved into 3 partitions by site_id.');
    expect(first.stdout).toContain('credit_ledger: 0 row(s) moved into 3 partitions by learner_id.');
    const second = await cli('partition-tables');
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('Already partitioned: attendance (HASH (site_id), 3 partitions)');
  }, 120_000);
});
