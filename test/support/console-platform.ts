import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { accessibilityViolations } from './browser';
import type { PlatformDatabase } from '../../sync/platform/database';
import type { HeldRecord, ReviewQueue } from '../../sync/platform/console/review-queue';
import { buildPlatformServer } from '../../sync/platform/server';
import { openTestDatabase, TEST_ADMIN_TOKEN } from './platform';
import { createOperator } from '../../sync/platform/admin/operators';
import { DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';

export const CONSOLE_APP_DIR = fileURLToPath(new URL('../../dist/console', import.meta.url));

/**
 * The review queue as the console sees it, kept in memory: the queue itself is the sync core's;
 * these tests check that the console lists and decides within the operator's sites.
 */
export class InMemoryReviewQueue implements ReviewQueue {
  readonly decided: { id: string; decision: string }[] = [];
  constructor(public records: HeldRecord[]) {}

  async held(siteIds: string[]): Promise<HeldRecord[]> {
    return this.records.filter((r) => siteIds.includes(r.siteId));
  }

  async decide(siteIds: string[], decision: 'approve' | 'refuse', records: { type: string; id: string }[]): Promise<number> {
    const chosen = this.records.filter((r) => siteIds.includes(r.siteId) && records.some((c) => c.id === r.id && c.type === r.type));
    this.records = this.records.filter((r) => !chosen.includes(r));
    this.decided.push(...chosen.map((r) => ({ id: r.id, decision })));
    return chosen.length;
  }
}

export interface ConsolePlatform {
  app: FastifyInstance;
  database: PlatformDatabase;
  url: string;
  close(): Promise<void>;
}

/** The platform with the built console (npx vite build --mode console) and a review queue. */
export async function startConsolePlatform(reviewQueue?: ReviewQueue): Promise<ConsolePlatform> {
  const database = await openTestDatabase();
  const app = await buildPlatformServer({ database, adminToken: TEST_ADMIN_TOKEN, consoleAppDir: CONSOLE_APP_DIR, reviewQueue });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    database,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** Signs in through the console's own form. */
export async function signInToConsole(page: Page, baseUrl: string, login: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/console/`);
  await page.getByLabel(/^(账号|Login|帳號)$/).fill(login);
  await page.getByLabel(/^(密码|Password|密碼)$/).fill(password);
  await page.getByRole('button', { name: /^(登录|Sign in|登入)$/ }).click();
  await page.locator('nav').waitFor();
}

/** Every console page and its heading, in the three languages. */
export const CONSOLE_PAGES: [string, Record<'zh-CN' | 'zh-HK' | 'en', string>][] = [
  ['sites', { 'zh-CN': '学习点', 'zh-HK': '學習點', en: 'Sites' }],
  ['kiosks', { 'zh-CN': '终端', 'zh-HK': '終端機', en: 'Kiosks' }],
  ['enrolment', { 'zh-CN': '申请注册的终端', 'zh-HK': '申請註冊的終端機', en: 'Kiosks asking to enrol' }],
  ['learners', { 'zh-CN': '学员', 'zh-HK': '學員', en: 'Learners' }],
  ['timetable', { 'zh-CN': '课程表', 'zh-HK': '課程表', en: 'Timetable' }],
  ['review', { 'zh-CN': '待审核记录', 'zh-HK': '待審核紀錄', en: 'Records held for review' }],
  ['ledger', { 'zh-CN': '学分台账', 'zh-HK': '學分帳', en: 'Credit ledger' }],
  ['reports', { 'zh-CN': '报表', 'zh-HK': '報表', en: 'Reports' }],
];

/** Opens every console page in turn and answers the axe-core violations found on each. */
export async function walkConsolePages(page: Page, baseUrl: string, language: 'zh-CN' | 'zh-HK' | 'en'): Promise<string[]> {
  const failures: string[] = [];
  for (const [name, headings] of CONSOLE_PAGES) {
    await page.goto(`${baseUrl}/console/#/${name}`);
    await page.getByRole('heading', { level: 1, name: headings[language], exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
    for (const violation of await accessibilityViolations(page)) failures.push(`${name}: ${violation}`);
  }
  return failures;
}

export const CONSOLE_TEST_PASSWORD = 'correct horse battery';

/**
 * The demo site with a province admin (`admin`) and its site manager (`dongshan`), and one record
 * held for review, so every console page has something to show when a test walks them.
 */
export async function startConsoleWalk(): Promise<ConsolePlatform> {
  const queue = new InMemoryReviewQueue([
    { type: 'attendance', id: '0190a000-0000-7000-8000-000000000001', siteId: DEMO_SITE_ID, learnerId: 'GD2026000101', subject: '粤剧欣赏', deviceTime: new Date('2026-11-20T06:05:00Z'), reasons: ['off-roster'] },
  ]);
  const platform = await startConsolePlatform(queue);
  await seedDemo(platform.database.pool, null);
  await createOperator(platform.database.pool, { login: 'admin', displayName: '省管理员', role: 'province-admin', password: CONSOLE_TEST_PASSWORD, siteIds: [] });
  await createOperator(platform.database.pool, { login: 'dongshan', displayName: '东山站长', role: 'site-manager', password: CONSOLE_TEST_PASSWORD, siteIds: [DEMO_SITE_ID] });
  return platform;
}
