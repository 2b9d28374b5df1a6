/**
 * `npm run bench -- console [--learners 20000] [--attendance 200000] [--loads 5]`
 *
 * The operators' console at the scale of a large site: how long the console takes to show its
 * first page in headless Chromium (cold cache, signed in), how much JavaScript it ships
 * (gzip), and how long the reports page's summary and the attendance CSV take for one site with
 * `--learners` learners and `--attendance` attendance records (each with its ledger entry).
 * Runs on embedded PGlite; builds dist/console first if it is missing. Prints one JSON line.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { createOperator } from '../sync/platform/admin/operators';
import { openDatabase } from '../sync/platform/database';
import { migrateDatabase } from '../sync/platform/migrate';
import { buildPlatformServer } from '../sync/platform/server';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const APP_DIR = join(ROOT, 'dist/console');
const SITE = 'BENCH-SITE';
const PASSWORD = 'bench password 1234';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function jsGzipBytes(files: string[]): Promise<number> {
  let total = 0;
  for (const file of files) total += gzipSync(await readFile(join(APP_DIR, 'assets', file)), { level: 9 }).length;
  return total;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { learners: { type: 'string', default: '20000' }, attendance: { type: 'string', default: '200000' }, loads: { type: 'string', default: '5' } } });
  const learners = Number(values.learners);
  const attendance = Number(values.attendance);
  const loads = Number(values.loads);
  if (!existsSync(join(APP_DIR, 'index.html'))) await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'console', logLevel: 'warn' });

  const database = await openDatabase({});
  await migrateDatabase(database.pool);
  const { pool } = database;
  // Seeded in SQL: setup is not what is measured. Sessions of up to 200 learners, one a day.
  const perSession = Math.min(200, learners);
  const sessions = Math.ceil(attendance / perSession);
  await pool.query(`insert into sites (id, name) values ($1, 'Bench site')`, [SITE]);
  await pool.query(`insert into kiosks (id, site_id, name, token_hash) values ('BENCH-KIOSK', $1, 'Bench kiosk', 'x')`, [SITE]);
  await pool.query(
    `insert into learners (id, display_name, home_site_id, server_seq)
     select 'L' || lpad(i::text, 7, '0'), '学员' || i, $1, nextval('sync_seq') from generate_series(1, $2) i`,
    [SITE, learners],
  );
  await pool.query(
    `insert into class_sessions (id, site_id, title, starts_at, ends_at, status, server_seq)
     select gen_random_uuid(), $1, 'Class ' || i, timestamptz '2026-01-01 02:00Z' + (i % 330) * interval '1 day' + (i / 330) * interval '10 minutes',
            timestamptz '2026-01-01 04:00Z' + (i % 330) * interval '1 day' + (i / 330) * interval '10 minutes', 'closed', nextval('sync_seq')
       from generate_series(1, $2) i`,
    [SITE, sessions],
  );
  await pool.query(
    `insert into attendance (id, class_session_id, learner_id, site_id, kiosk_id, method, on_roster, device_time, server_seq)
     select gen_random_uuid(), s.id, 'L' || lpad((((s.n - 1) * $3 + j) % $2 + 1)::text, 7, '0'), $1, 'BENCH-KIOSK', 'scanner', true, s.starts_at, nextval('sync_seq')
       from (select id, starts_at, row_number() over (order by id) as n from class_sessions) s, generate_series(0, $3 - 1) j
      limit $4`,
    [SITE, learners, perSession, attendance],
  );
  await pool.query(
    `insert into credit_ledger (id, learner_id, source_type, source_id, hours, credits, earned_on, server_seq)
     select gen_random_uuid(), a.learner_id, 'attendance', a.id, 2, 0.2, (s.starts_at at time zone 'Asia/Shanghai')::date, nextval('sync_seq')
       from attendance a join class_sessions s on s.id = a.class_session_id`,
  );
  // As autovacuum would after a bulk load on PostgreSQL (PGlite runs no autovacuum).
  await pool.query('analyze');
  await createOperator(pool, { login: 'bench', displayName: 'Bench', role: 'site-manager', password: PASSWORD, siteIds: [SITE] });

  const app = await buildPlatformServer({ database, consoleAppDir: APP_DIR });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    // Sign in once; each measured load is a fresh context (cold cache) carrying that session.
    const first = await browser.newContext();
    const signInPage = await first.newPage();
    await signInPage.goto(`${url}/console/`);
    await signInPage.getByLabel(/^(账号|Login|帳號)$/).fill('bench');
    await signInPage.getByLabel(/^(密码|Password|密碼)$/).fill(PASSWORD);
    await signInPage.getByRole('button', { name: /^(登录|Sign in|登入)$/ }).click();
    await signInPage.locator('nav').waitFor();
    const storageState = await first.storageState();
    await first.close();

    const loadTimes: number[] = [];
    const firstLoadScripts = new Set<string>();
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({ storageState, viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      page.on('response', (response) => {
        const match = /\/console\/assets\/([^/]+\.js)$/.exec(response.url());
        if (match?.[1]) firstLoadScripts.add(match[1]);
      });
      const started = performance.now();
      await page.goto(`${url}/console/#/sites`);
      await page.getByRole('link', { name: /BENCH-SITE/ }).waitFor();
      loadTimes.push(performance.now() - started);
      await context.close();
    }

    const summaryTimes: number[] = [];
    const csvTimes: number[] = [];
    const cookie = storageState.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    for (let i = 0; i < 3; i++) {
      let started = performance.now();
      const summary = await fetch(`${url}/console/api/reports/summary?siteId=${SITE}&from=2026-01-01&to=2026-12-31`, { headers: { cookie } });
      if (!summary.ok) throw new Error(`summary answered ${summary.status}`);
      await summary.json();
      summaryTimes.push(performance.now() - started);
      started = performance.now();
      const csv = await fetch(`${url}/console/api/reports/attendance.csv?siteId=${SITE}&from=2026-01-01&to=2026-12-31`, { headers: { cookie } });
      if (!csv.ok) throw new Error(`CSV answered ${csv.status}`);
      await csv.text();
      csvTimes.push(performance.now() - started);
    }
    const allScripts = (await readdir(join(APP_DIR, 'assets'))).filter((f) => f.endsWith('.js'));
    console.log(
      JSON.stringify({
        bench: 'console',
        database: database.kind,
        learners,
        attendance,
        console_first_load_ms: Math.round(median(loadTimes)),
        console_js_gzip_bytes: await jsGzipBytes(allScripts),
        console_first_load_js_gzip_bytes: await jsGzipBytes([...firstLoadScripts]),
        report_ms: Math.round(median(summaryTimes)),
        report_csv_ms: Math.round(median(csvTimes)),
      }),
    );
  } finally {
    await browser.close();
    await app.close();
    await database.close();
  }
}
