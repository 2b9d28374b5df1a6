import { withSyncWrite } from '../../sync/platform/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCard } from '../support/platform';
import { expectAccessible, presentCardAsScanner } from '../support/browser';
import { startDemoEnvironment, type DemoEnvironment } from '../support/demo-environment';

let environment: DemoEnvironment;
let card: { learnerId: string; name: string; text: string };

beforeAll(async () => {
  environment = await startDemoEnvironment();
  card = await demoCard(environment.platform.database.pool);
  // One credited class, so the learner has hours in the ledger once it is in.
  await withSyncWrite(environment.platform.database.pool, (client) =>
    client.query(
      `insert into credit_ledger (id, learner_id, source_type, source_id, hours, credits, earned_on, server_seq)
       values (gen_random_uuid(), $1, 'attendance', gen_random_uuid(), 2, 0.1, current_date, next_sync_seq())`,
      [card.learnerId],
    ),
  );
});

afterAll(async () => {
  await environment?.close();
});

describe('a new kiosk whose ledger is still arriving', () => {
  it('My credits says so, and shows the hours once the ledger is in', async () => {
    const page = await environment.browser.newPage();
    // The ledger's pulls wait (a big site's ledger takes a while) while everything else comes in.
    let letLedgerGo!: () => void;
    const ledgerHeld = new Promise<void>((resolve) => (letLedgerGo = resolve));
    await page.route('**/sync/credit_ledger/pull?**', async (route) => {
      await ledgerHeld;
      await route.continue();
    });
    const keysStored = page.waitForResponse((r) => r.url().includes('/sync/issuer_keys/pull?') && r.url().includes('seq=') && r.ok());
    await page.goto(environment.kiosk.url);
    await keysStored;
    await page.getByRole('button', { name: '我的学分' }).click();
    // The card verifies (keys and revocations are in); the figures come with a word that more are on their way.
    await expect
      .poll(
        async () => {
          await presentCardAsScanner(page, card.text);
          return page.getByTestId('credits').count();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(1);
    expect(await page.getByTestId('credits').textContent()).toContain(card.name);
    expect(await page.getByTestId('ledger-arriving').textContent()).toContain('还在从平台接收学分记录');
    // Not "no learning records yet": the kiosk does not know that.
    expect(await page.getByTestId('credits').textContent()).not.toContain('还没有学习记录');
    await expectAccessible(page);

    letLedgerGo();
    await page.getByRole('button', { name: '看完了' }).click();
    await expect
      .poll(
        async () => {
          await presentCardAsScanner(page, card.text);
          const hours = page.getByTestId('ledger-hours');
          return (await hours.count()) ? hours.getAttribute('data-hours') : null;
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe('2');
    expect(await page.getByTestId('ledger-arriving').count()).toBe(0);
    await page.close();
  });
});
