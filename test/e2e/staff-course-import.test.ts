import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { demoCourses, writeDemoCourses } from '../../assets/demo-courses';
import { CourseCache } from '../../electron/host/course-cache/course-cache';
import { startKioskHost, type RunningKioskHost } from '../../electron/host/kiosk-host';
import { contentFolderSource, signedCourseManifests, writeCourseExport } from '../../sync/platform/admin/course-export';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { launchChromium, expectAccessible } from '../support/browser';
import { testSettings, TEST_STAFF_PIN } from '../support/kiosk';
import { startTestPlatform } from '../support/platform';

let work: string;
let platform: Awaited<ReturnType<typeof startTestPlatform>> | null;
let kiosk: RunningKioskHost;
let browser: Browser;
let importFolder: string;
let tamperedFile: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'yx-course-import-'));
  const contentDir = join(work, 'content');
  await writeDemoCourses(contentDir);
  platform = await startTestPlatform(contentDir);
  const { kioskCredential } = await seedDemo(platform.database.pool, null);
  // The folder a technician filled from `platform:admin courses export` (kiosk.json courseImportFolder).
  importFolder = join(work, 'village-courses');
  const exportDir = join(importFolder, 'yuexue-courses');
  await writeCourseExport(exportDir, await signedCourseManifests(platform.database.pool, ['smartphone-basics', 'cantonese-cuisine']), contentFolderSource(contentDir));
  const cuisine = demoCourses().find((c) => c.manifest.id === 'cantonese-cuisine')!.manifest;
  tamperedFile = cuisine.lessons[0]!.file;
  const bytes = await readFile(join(exportDir, 'cantonese-cuisine', tamperedFile));
  bytes[10]! ^= 0xff;
  await writeFile(join(exportDir, 'cantonese-cuisine', tamperedFile), bytes);

  const kioskDir = join(work, 'kiosk');
  await mkdir(kioskDir);
  kiosk = await startKioskHost({
    courseCache: await CourseCache.open({ dir: join(work, 'cache'), budgetBytes: 50_000_000 }),
    settings: { ...(await testSettings(platform.url)), courseImportFolder: importFolder },
    enrolment: { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, credential: kioskCredential! },
    journalFile: join(kioskDir, 'record-journal.jsonl'),
    removableDriveRoots: [join(work, 'no-drives-mounted')],
  });
  // The host keeps the platform's keys on disk while it can reach it; the village kiosk checks signatures with them.
  for (let i = 0; i < 400 && !(await readdir(kioskDir)).includes('platform-keys.json'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
  await platform?.close();
  await rm(work, { recursive: true, force: true });
});

describe('staff import courses from a drive', () => {
  it('imports a signed course with progress, refuses a tampered one by name, and plays the lesson with the platform stopped', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const coursesPulled = page.waitForResponse((r) => r.url().includes('/sync/courses/pull') && r.ok());
    await page.goto(kiosk.url);
    await coursesPulled;
    // From here on the kiosk is a village kiosk: no platform at all.
    await platform!.close();
    platform = null;

    await page.getByRole('button', { name: '工作人员' }).click();
    for (const digit of TEST_STAFF_PIN) await page.getByRole('button', { name: `数字 ${digit}` }).click();
    await page.getByRole('button', { name: '进入' }).click();
    await page.getByRole('button', { name: '本机课程' }).click();
    await page.getByRole('button', { name: '从U盘导入课程' }).click();

    // The only place with courses is the configured folder, chosen at once; staff tap the courses.
    await page.getByRole('button', { name: '导入文件夹 village-courses', pressed: true }).waitFor();
    const smartphoneTitle = demoCourses().find((c) => c.manifest.id === 'smartphone-basics')!.manifest.title['zh-CN'];
    const cuisineTitle = demoCourses().find((c) => c.manifest.id === 'cantonese-cuisine')!.manifest.title['zh-CN'];
    await page.getByRole('button', { name: smartphoneTitle }).click();
    await page.getByRole('button', { name: cuisineTitle }).click();
    await expectAccessible(page);
    await page.getByRole('button', { name: '导入选中的课程（2）' }).click();

    const panel = page.getByTestId('course-import');
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 60_000 }).toBe('finished');
    const row = (id: string) => page.locator(`[data-testid=import-course][data-course="${id}"]`);
    expect(await row('smartphone-basics').getAttribute('data-state')).toBe('imported');
    expect(await row('cantonese-cuisine').getAttribute('data-state')).toBe('refused');
    await expect(row('cantonese-cuisine').textContent()).resolves.toContain('已拒绝：U盘里的文件已损坏或被改动');
    await expect(row('cantonese-cuisine').getByTestId('import-problem').textContent()).resolves.toContain(join('cantonese-cuisine', tamperedFile));
    expect(await row('smartphone-basics').locator('progress').evaluate((p: HTMLProgressElement) => p.value === p.max)).toBe(true);
    await expect(page.getByText('现在可以拔出U盘了。').isVisible()).resolves.toBe(true);
    await expectAccessible(page);
    await page.getByRole('button', { name: '完成' }).click();

    const cached = (id: string) => page.locator(`[data-testid=cache-course][data-course="${id}"]`);
    await expect.poll(() => cached('smartphone-basics').getAttribute('data-state')).toBe('ready');
    expect(await cached('cantonese-cuisine').getAttribute('data-state')).toBe('absent');

    // A learner, later: the imported course plays from the kiosk alone.
    await page.goto(kiosk.url);
    await page.getByRole('button', { name: '学习课程' }).click();
    await page.getByTestId('course-list').waitFor();
    await page.getByRole('button', { name: '长者学堂', exact: true }).click();
    await page.locator('[data-course="smartphone-basics"]').click();
    await expect.poll(() => page.getByTestId('lesson-list').getAttribute('data-ready'), { timeout: 30_000 }).toBe('true');
    await page.locator('[data-lesson="video-call"]').click();
    await page.getByTestId('lesson-media').waitFor({ state: 'attached' });
    await page.waitForFunction(() => (document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement).readyState >= 1);
    await page.getByTestId('play-pause').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement).currentTime > 0.5, undefined, { timeout: 30_000 });
    await context.close();
  }, 180_000);
});
