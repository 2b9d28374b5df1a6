import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { catalogs, type Language } from '../../renderer/i18n/i18n';
import { demoCard } from './platform';
import { accessibilityViolations, EVERY_SCREENSHOT, launchChromium } from './browser';
import { openSessionAsStaff } from './staff';
import { openLesson, startLearnWorld, type LearnWorld } from './learn-kiosk';
import { scanWithKeyboard } from './scanner';
import { leaveIdle, runOutCountdown } from './idle';

/** Screenshots of a failing step, or of every step with YX_TEST_SCREENSHOTS=1 for people to review; test-results/ is not committed. */
const SCREENSHOTS = join(process.cwd(), 'test-results', 'senior-journey');

type Catalog = Record<string, Record<string, unknown>>;
const text = (language: Language, section: string, key: string) => String((catalogs[language] as Catalog)[section]![key]);
const LANGUAGE_BUTTON: Record<Language, string> = { 'zh-CN': '简体中文', 'zh-HK': '繁體中文（粵語）', en: 'English' };

/**
 * A senior's whole visit, alone at the kiosk, in one language and screen: check in, look at My
 * credits, find a course with the on-screen letters, play a lesson, leave it, come back to the same
 * place, then walk away and let the kiosk go home. axe-core finds nothing at any step.
 */
export function seniorJourney(language: Language, viewport: { width: number; height: number }) {
  let world: LearnWorld;
  let browser: Browser;
  let kioskUrl: string;
  let card: { learnerId: string; name: string; text: string };

  beforeAll(async () => {
    world = await startLearnWorld();
    card = await demoCard(world.platform.database.pool);
    kioskUrl = (await world.kiosk()).url;
    browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it(`${language} at ${viewport.width}×${viewport.height}`, async () => {
    const page = await browser.newPage({ viewport });
    // The kiosk's real idle time and countdown, run on the page's clock at the last step instead
    // of waited out (test/support/idle.ts).
    await page.clock.install();
    let stepNumber = 0;
    const step = async (name: string) => {
      stepNumber++;
      const violations = await accessibilityViolations(page);
      if (EVERY_SCREENSHOT || violations.length > 0) {
        await page.screenshot({ path: join(SCREENSHOTS, `${language}-${viewport.width}x${viewport.height}-${String(stepNumber).padStart(2, '0')}-${name}.png`) });
      }
      expect(violations, name).toEqual([]);
    };
    const home = () => page.locator('.screen-nav button').last().click();
    const tap = (section: string, key: string) => page.getByRole('button', { name: text(language, section, key), exact: true }).click();

    // Staff open today's class for check-in and leave staff mode.
    await openSessionAsStaff(page, kioskUrl);
    await page.getByRole('button', { name: text('zh-CN', 'staff', 'exit') }).click();
    await page.getByRole('button', { name: LANGUAGE_BUTTON[language] }).click();
    await step('home');

    // 1. Check in with the card.
    await tap('home', 'checkIn');
    await page.getByTestId('scan-prompt').waitFor();
    await step('check-in');
    await scanWithKeyboard(page, card.text);
    const result = page.getByTestId('checkin-result');
    await result.waitFor();
    expect(await result.getAttribute('data-result')).toBe('checked-in');
    expect(await result.textContent()).toContain(card.name);
    await step('checked-in');
    await home();

    // 2. My credits.
    await tap('home', 'myCredits');
    // The card is presented once the screen shows, as a learner would (a burst before it would be lost).
    await page.getByRole('heading', { name: text(language, 'credits', 'title') }).waitFor();
    await scanWithKeyboard(page, card.text);
    await page.getByTestId('credits').waitFor();
    expect(await page.getByTestId('credits').textContent()).toContain(card.name);
    await step('my-credits');
    await home();

    // 3. Find a course with the on-screen letters: 广东菜 is G D C.
    await tap('learn', 'homeButton');
    await page.getByTestId('learner').waitFor();
    await scanWithKeyboard(page, card.text);
    await expect.poll(() => page.getByTestId('learner').getAttribute('data-learner')).toBe(card.learnerId);
    for (const letter of 'GDC') await page.locator('.letter-keypad').getByRole('button', { name: letter, exact: true }).click();
    await expect.poll(() => page.locator('[data-course]').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-course')))).toEqual(['cantonese-cuisine']);
    await step('found-course');

    // 4. Play the soup lesson, leave it while it plays, come back to the same place.
    await openLesson(page, 'cantonese-cuisine', 'old-fire-soup');
    const playing = () => page.getByTestId('lesson-media').evaluate((media: HTMLMediaElement) => media.currentTime);
    await page.waitForFunction(() => (document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement).readyState >= 1);
    await page.getByTestId('play-pause').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement).currentTime > 3);
    await step('playing');
    const leftAt = await page.evaluate(() => {
      const at = (document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement).currentTime;
      document.querySelector<HTMLButtonElement>('.screen-nav button')!.click();
      return at;
    });
    await page.locator('[data-lesson="old-fire-soup"]').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement).currentTime > 0);
    expect(Math.abs((await playing()) - leftAt)).toBeLessThan(1);
    await step('resumed');

    // 5. Walk away: the kiosk asks, then goes home in Simplified Chinese and forgets the learner.
    // Lesson audio that is still playing keeps the kiosk awake, so the wait starts when it stops.
    await page.waitForFunction(() => {
      const media = document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement;
      return media.paused || media.ended;
    });
    await leaveIdle(page);
    await step('still-there');
    await runOutCountdown(page);
    await page.getByRole('heading', { name: '粤学终端' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await step('back-home');
    await page.close();
  });
}
