import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import { demoCard } from '../support/platform';
import { expectAccessible, launchChromium } from '../support/browser';
import { openSessionAsStaff } from '../support/staff';
import { writeCameraVideo } from '../support/fake-camera';
import { openKiosk, startLearnWorld, type LearnWorld } from '../support/learn-kiosk';

let world: LearnWorld;
let kiosk: RunningKioskHost;
let folder: string;
let cardCamera: Browser;
let wechatCamera: Browser;
let card: { learnerId: string; name: string; text: string };

/** A browser whose camera sees, after a moment of empty table, the code `text` held up. */
async function browserSeeing(text: string, file: string): Promise<Browser> {
  const video = join(folder, file);
  await writeCameraVideo(video, [{ cardText: null, frames: 5 }, { cardText: text, frames: 20 }], { tiltDegrees: 8, blurRadius: 1, sizePixels: 400 });
  return launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
}

beforeAll(async () => {
  world = await startLearnWorld();
  card = await demoCard(world.platform.database.pool);
  kiosk = await world.kiosk();
  folder = await mkdtemp(join(tmpdir(), 'yx-card-screens-'));
  cardCamera = await browserSeeing(card.text, 'card.y4m');
  wechatCamera = await browserSeeing('https://u.wechat.com/EK2aBcDeFgHiJkLmN', 'wechat.y4m');
});

afterAll(async () => {
  await cardCamera?.close();
  await wechatCamera?.close();
  await world?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** Long tasks (over 50 ms) on the page's thread from now on. */
async function watchLongTasks(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(() => {
    const durations: number[] = [];
    (window as unknown as { __longTasks: number[] }).__longTasks = durations;
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => durations.push(Math.round(entry.duration)))).observe({ type: 'longtask' });
  });
  return () => page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
}

describe('every screen that asks for a card reads it by camera', () => {
  it('check-in: reads the card off the main thread, with no long task while the camera runs', async () => {
    const page = await cardCamera.newPage({ viewport: { width: 1920, height: 1080 } });
    await openSessionAsStaff(page, kiosk.url);
    await page.getByRole('button', { name: '去签到页面' }).click();
    const result = page.getByTestId('checkin-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.getAttribute('data-result')).toBe('checked-in');
    // Back to the prompt for the next learner, the camera still decoding every frame (the card
    // stays in view; repeats are filtered): five seconds, some forty decodes, none on this thread.
    await page.getByTestId('scan-prompt').waitFor();
    const longTasks = await watchLongTasks(page);
    await page.waitForTimeout(5000);
    expect(await page.getByTestId('camera-preview').getAttribute('data-camera')).toBe('running');
    expect(await longTasks()).toEqual([]);
    await expectAccessible(page);
    await page.close();
  });

  it('My credits: shows the learner’s record from the card held to the camera', async () => {
    const page = await openKiosk(cardCamera, kiosk.url);
    await page.getByRole('button', { name: '我的学分' }).click();
    await page.getByTestId('credits').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('credits').textContent()).toContain(card.name);
    await expectAccessible(page);
    await page.close();
  });

  it('Learn: keeps the progress of the learner whose card is held to the camera', async () => {
    const page = await openKiosk(cardCamera, kiosk.url);
    await page.getByRole('button', { name: '学习课程' }).click();
    await expect.poll(() => page.getByTestId('learner').getAttribute('data-learner'), { timeout: 60_000 }).toBe(card.learnerId);
    // Once the learner is known the camera rests.
    await expect.poll(() => page.getByTestId('camera-preview').count()).toBe(0);
    await page.close();
  });
});

describe('a WeChat QR code held to the camera is not a learner card, on every card screen', () => {
  it('check-in says so, and records nothing', async () => {
    const page = await wechatCamera.newPage({ viewport: { width: 1920, height: 1080 } });
    await openSessionAsStaff(page, kiosk.url);
    await page.getByRole('button', { name: '去签到页面' }).click();
    const result = page.getByTestId('checkin-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.getAttribute('data-reason')).toBe('not-a-card-link');
    expect(await result.textContent()).toContain('这是网址或微信的二维码，不是学员卡。请出示您的学员卡。');
    expect(await result.textContent()).toContain('本次没有记录任何信息。');
    await expectAccessible(page);
    await page.close();
  });

  it('My credits says so', async () => {
    const page = await openKiosk(wechatCamera, kiosk.url);
    await page.getByRole('button', { name: '我的学分' }).click();
    const problem = page.getByTestId('credits-rejected');
    await problem.waitFor({ timeout: 60_000 });
    expect(await problem.textContent()).toContain('这是网址或微信的二维码，不是学员卡。');
    await page.close();
  });

  it('the idle reset still comes while the camera runs (its preview is not a lesson playing)', async () => {
    const idleKiosk = await world.kiosk({ idleSeconds: 3 });
    const page = await openKiosk(wechatCamera, idleKiosk.url);
    await page.getByRole('button', { name: '学习课程' }).click();
    await expect.poll(() => page.getByTestId('camera-preview').getAttribute('data-camera'), { timeout: 30_000 }).toBe('running');
    await page.getByTestId('idle-overlay').waitFor({ timeout: 15_000 });
    await page.close();
  });

  it('Learn says so', async () => {
    const page = await openKiosk(wechatCamera, kiosk.url);
    await page.getByRole('button', { name: '学习课程' }).click();
    const problem = page.getByTestId('card-problem');
    await problem.waitFor({ timeout: 60_000 });
    expect(await problem.textContent()).toContain('这是网址或微信的二维码，不是学员卡。');
    await page.close();
  });
});
