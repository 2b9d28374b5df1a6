import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import type { JournalListing } from '../../sync/protocol/kiosk-host-api';
import { presentCardAsScanner } from '../support/browser';
import { startDemoEnvironment, type DemoEnvironment } from '../support/demo-environment';
import { demoCard, type DemoCard } from '../support/platform';
import { openSessionAsStaff } from '../support/staff';

/**
 * A kiosk whose browser profile is lost (a new browser context: an empty IndexedDB) before its
 * check-in reached the platform: the host's journal gives the record back, it is pushed, and the
 * platform holds it exactly once.
 */

let environment: DemoEnvironment;
let kiosk: RunningKioskHost;
let browser: Browser;
let card: DemoCard;

async function onPlatform(learnerId: string): Promise<number> {
  const { rows } = await environment.platform.database.pool.query<{ n: string }>('select count(*) as n from attendance where learner_id = $1', [learnerId]);
  return Number(rows[0]!.n);
}

async function journal(): Promise<JournalListing> {
  return (await fetch(`${kiosk.url}/kiosk/journal`)).json() as Promise<JournalListing>;
}

beforeAll(async () => {
  environment = await startDemoEnvironment();
  ({ kiosk, browser } = environment);
  card = await demoCard(environment.platform.database.pool);
});

afterAll(async () => {
  await environment?.close();
});

describe('records safe beyond one browser profile', () => {
  it('restores a check-in the profile lost from the host journal, and the platform gets it once', async () => {
    const first = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    // The platform never gets this profile's check-ins: as if the network failed just then.
    await first.route('**/sync/attendance/push', (route) => route.abort('internetdisconnected'));
    // Notes whether the kiosk asks the browser to keep its storage.
    await first.addInitScript(() => {
      const persist = navigator.storage.persist.bind(navigator.storage);
      navigator.storage.persist = () => {
        (window as unknown as { persistRequested: boolean }).persistRequested = true;
        return persist();
      };
    });
    const page = await first.newPage();
    await openSessionAsStaff(page, kiosk.url);
    expect(await page.evaluate(() => (window as unknown as { persistRequested?: boolean }).persistRequested)).toBe(true);
    await page.getByRole('button', { name: '去签到页面' }).click();
    await page.getByTestId('scan-prompt').waitFor();
    await presentCardAsScanner(page, card.text);
    const result = page.getByTestId('checkin-result');
    await expect.poll(() => result.getAttribute('data-result')).toBe('checked-in');
    expect((await journal()).entries.map((e) => e.record.learnerId)).toEqual([card.learnerId]);
    expect(await onPlatform(card.learnerId)).toBe(0);
    await first.close();

    // A new profile: IndexedDB is empty, the journal on the host's disk is not.
    const second = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const restored = await second.newPage();
    await restored.goto(kiosk.url);
    await expect.poll(() => onPlatform(card.learnerId), { timeout: 30_000 }).toBe(1);
    // Once the platform's copy came back to the kiosk, the journal lets go of it.
    await expect.poll(async () => (await journal()).entries.length, { timeout: 30_000 }).toBe(0);
    await second.close();

    // Yet another empty profile: nothing to restore, nothing pushed twice.
    const third = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const again = await third.newPage();
    const pulled = again.waitForResponse((r) => r.url().includes('/sync/attendance/pull') && r.ok());
    await again.goto(kiosk.url);
    await pulled;
    expect(await onPlatform(card.learnerId)).toBe(1);
    await third.close();
  });
});
