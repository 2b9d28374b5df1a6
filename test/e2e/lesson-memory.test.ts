import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openLesson, scanIntoLearn, startLearnKiosk, type LearnKiosk } from '../support/learn-kiosk';
import { memoryProbe, rendererMemory } from '../support/renderer-memory';

let setup: LearnKiosk;

beforeAll(async () => {
  setup = await startLearnKiosk({ card: 'last', browserArgs: ['--autoplay-policy=no-user-gesture-required'] });
  // Making the demo courses and the platform takes over 100 s when the machine is busy.
}, 300_000);

afterAll(async () => {
  await setup?.close();
});

/** Plays the lesson a few seconds, seeks, and leaves it with the screen's Back while it plays. */
async function playAndLeave(page: Page, courseId: string, lessonId: string): Promise<void> {
  await openLesson(page, courseId, lessonId);
  await page.waitForFunction(() => ((document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement | null)?.readyState ?? 0) >= 1);
  await page.getByTestId('play-pause').click();
  await page.waitForFunction(() => (document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement).currentTime > 0.5);
  await page.evaluate(() => {
    const media = document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement;
    media.currentTime = media.duration / 2;
  });
  await page.locator('.screen-nav button').first().click();
  await page.locator('[data-testid=lesson-list][data-ready=true]').waitFor();
  await page.locator('.screen-nav button').first().click();
  await page.getByTestId('course-list').waitFor();
}

describe('a kiosk that plays lessons all day', () => {
  // The soak bench (npm run bench -- soak) found each lesson played and left kept some two
  // hundred DOM nodes alive for good: the document's style engine held the caption track, and
  // through it the video and the whole player (LessonPlayer.tsx, releaseCaptionTracks).
  it('lets go of every lesson screen it has left', async () => {
    // As openKiosk does, with waits long enough for a machine busy with other work.
    const context = await setup.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    context.setDefaultTimeout(90_000);
    const page = await context.newPage();
    const coursesPulled = page.waitForResponse((r) => r.url().includes('/sync/courses/pull') && r.ok());
    const keysPulled = page.waitForResponse((r) => r.url().includes('/sync/issuer_keys/pull') && r.ok());
    await page.goto(setup.kiosk.url);
    await Promise.all([coursesPulled, keysPulled]);
    const cdp = await memoryProbe(page);
    await page.getByRole('button', { name: '学习课程' }).click();
    await scanIntoLearn(page, setup.card);
    const lessons: [string, string][] = [
      ['smartphone-basics', 'video-call'],
      ['cantonese-cuisine', 'old-fire-soup'],
    ];
    // Once round first, so what stays for good (compiled code, caches) is counted in the start.
    for (const [course, lesson] of lessons) await playAndLeave(page, course, lesson);
    const before = await rendererMemory(cdp);
    for (let round = 0; round < 3; round++) for (const [course, lesson] of lessons) await playAndLeave(page, course, lesson);
    const after = await rendererMemory(cdp);
    // Six lessons left: each screen held on to would add some two hundred nodes.
    expect(after.domNodes - before.domNodes).toBeLessThan(60);
    await page.context().close();
  }, 300_000);
});
