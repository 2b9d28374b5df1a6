import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { writeDemoCourses } from '../../assets/demo-courses';
import { CourseCache } from '../../electron/host/course-cache/course-cache';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import { seedDemo } from '../../sync/platform/demo-seed';
import { demoCard, demoSessionsOpenNow, startTestPlatform, type DemoCard } from './platform';
import { launchChromium, presentCardAsScanner } from './browser';
import { startTestKioskHost } from './kiosk';

/** The platform with the demo courses and learners, and a way to start kiosks that cache those courses. */
export interface LearnWorld {
  platform: Awaited<ReturnType<typeof startTestPlatform>>;
  kiosk(options?: { idleSeconds?: number }): Promise<RunningKioskHost>;
  close(): Promise<void>;
}

export async function startLearnWorld(): Promise<LearnWorld> {
  const work = await mkdtemp(join(tmpdir(), 'yx-senior-'));
  await writeDemoCourses(join(work, 'content'));
  const platform = await startTestPlatform(join(work, 'content'));
  const { kioskCredential } = await seedDemo(platform.database.pool, null);
  // Its class takes check-ins now, whatever the hour the tests run at.
  await demoSessionsOpenNow(platform.database.pool);
  const kiosks: RunningKioskHost[] = [];
  return {
    platform,
    async kiosk(options = {}) {
      const cache = await CourseCache.open({ dir: join(work, `cache-${kiosks.length}`), budgetBytes: 50_000_000 });
      const kiosk = await startTestKioskHost(platform.url, kioskCredential!, { ...options, courseCache: cache });
      kiosks.push(kiosk);
      return kiosk;
    },
    async close() {
      for (const kiosk of kiosks) await kiosk.close();
      await platform.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** A learn world with one kiosk, one demo learner's card and a headless browser: what most senior-visit tests start from. */
export interface LearnKiosk {
  kiosk: RunningKioskHost;
  browser: Browser;
  card: DemoCard;
  close(): Promise<void>;
}

export async function startLearnKiosk(options: { card?: 'first' | 'last'; browserArgs?: string[] } = {}): Promise<LearnKiosk> {
  const world = await startLearnWorld();
  const card = await demoCard(world.platform.database.pool, options.card);
  const kiosk = await world.kiosk();
  const browser = await launchChromium(options.browserArgs);
  return {
    kiosk,
    browser,
    card,
    async close() {
      await browser.close();
      await world.close();
    },
  };
}

/**
 * Opens the kiosk and waits until it has the courses and the card keys. With `clock`, the page's
 * timers can be moved on (test/support/idle.ts).
 */
export async function openKiosk(browser: Browser, url: string, { viewport = { width: 1920, height: 1080 }, clock = false } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  if (clock) await page.clock.install();
  const coursesPulled = page.waitForResponse((r) => r.url().includes('/sync/courses/pull') && r.ok());
  const keysPulled = page.waitForResponse((r) => r.url().includes('/sync/issuer_keys/pull') && r.ok());
  await page.goto(url);
  await Promise.all([coursesPulled, keysPulled]);
  return page;
}

/** On the Learn screen, scans the card until the kiosk has read it (keys may still be arriving). */
export async function scanIntoLearn(page: Page, card: { learnerId: string; text: string }): Promise<void> {
  await expect
    .poll(
      async () => {
        await presentCardAsScanner(page, card.text);
        return page.getByTestId('learner').getAttribute('data-learner');
      },
      { timeout: 30_000, interval: 2000 },
    )
    .toBe(card.learnerId);
}

/** Opens a course's lesson once the kiosk has cached the course. */
export async function openLesson(page: Page, courseId: string, lessonId: string): Promise<void> {
  await page.locator(`[data-course="${courseId}"]`).click();
  await expect.poll(() => page.getByTestId('lesson-list').getAttribute('data-ready'), { timeout: 30_000 }).toBe('true');
  await page.locator(`[data-lesson="${lessonId}"]`).click();
}

/** Whether the element is wholly inside the window: a control below the screen cannot be tapped. */
export async function onScreen(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).first().evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth;
  });
}
