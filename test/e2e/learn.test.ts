import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { writeDemoCourses } from '../../assets/demo-courses';
import { CourseCache } from '../../electron/host/course-cache/course-cache';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import { seedDemo } from '../../sync/platform/demo-seed';
import { startTestPlatform, demoCard } from '../support/platform';
import { launchChromium, presentCardAsScanner, expectAccessible } from '../support/browser';
import { startTestKioskHost } from '../support/kiosk';

let work: string;
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let kiosk: RunningKioskHost;
let browser: Browser;
let card: { learnerId: string; text: string };


async function lessonCredits(learnerId: string): Promise<number> {
  const { rows } = await platform.database.pool.query<{ n: string }>(
    `select count(*) as n from credit_ledger where learner_id = $1 and source_type = 'lesson'`,
    [learnerId],
  );
  return Number(rows[0]!.n);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'yx-learn-'));
  await writeDemoCourses(join(work, 'content'));
  platform = await startTestPlatform(join(work, 'content'));
  const { kioskCredential } = await seedDemo(platform.database.pool, null);
  card = await demoCard(platform.database.pool, 'last');
  const cache = await CourseCache.open({ dir: join(work, 'cache'), budgetBytes: 50_000_000 });
  kiosk = await startTestKioskHost(platform.url, kioskCredential!, { courseCache: cache });
  browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
});

afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
  await platform?.close();
  await rm(work, { recursive: true, force: true });
});

describe('learn: browse, search, play and earn', () => {
  it('finds a course by pinyin initials, plays a cached lesson to the end and credits it once', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const coursesPulled = page.waitForResponse((r) => r.url().includes('/sync/courses/pull') && r.ok());
    const keysPulled = page.waitForResponse((r) => r.url().includes('/sync/issuer_keys/pull') && r.ok());
    await page.goto(kiosk.url);
    await Promise.all([coursesPulled, keysPulled]);
    await page.getByRole('button', { name: '学习课程' }).click();
    await page.getByTestId('course-list').waitFor();
    await expectAccessible(page);

    await page.getByTestId('course-search').fill('gdc');
    await expect.poll(() => page.locator('[data-course]').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-course')))).toEqual([
      'cantonese-cuisine',
    ]);
    await page.getByTestId('course-search').fill('');
    await page.getByRole('button', { name: '长者学堂', exact: true }).click();
    await page.locator('[data-course="smartphone-basics"]').click();
    await expect.poll(() => page.getByTestId('lesson-list').getAttribute('data-ready'), { timeout: 30_000 }).toBe('true');
    await expectAccessible(page);

    // A scanned card makes the progress the learner's; scan again until it is read, as a learner would.
    await expect
      .poll(
        async () => {
          await presentCardAsScanner(page, card.text);
          return page.getByTestId('learner').getAttribute('data-learner');
        },
        { timeout: 30_000, interval: 2000 },
      )
      .toBe(card.learnerId);

    await page.locator('[data-lesson="video-call"]').click();
    await page.getByTestId('lesson-media').waitFor({ state: 'attached' });
    await expectAccessible(page);
    // Seeking near the end needs Range (206) from the kiosk host; then the last seconds play out.
    await page.waitForFunction(() => (document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement).readyState >= 1);
    await page.evaluate(() => {
      const media = document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement;
      media.currentTime = media.duration - 1.5;
    });
    await page.getByTestId('play-pause').click();
    await page.getByTestId('lesson-complete').waitFor({ timeout: 30_000 });
    await expectAccessible(page);
    await expect.poll(() => lessonCredits(card.learnerId), { timeout: 30_000 }).toBe(1);
    // Once the platform's copy of the progress is pulled back, nothing shows as waiting.
    await expect.poll(() => page.getByTestId('waiting-count').getAttribute('data-count'), { timeout: 30_000 }).toBe('0');
    await context.close();
  });
});
