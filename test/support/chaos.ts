import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startKioskHost, type RunningKioskHost } from '../../electron/host/kiosk-host';
import { JOURNAL_FILE } from '../../electron/host/record-journal';
import { openDatabase, type PlatformDatabase } from '../../sync/platform/database';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { migrateDatabase } from '../../sync/platform/migrate';
import { buildPlatformServer } from '../../sync/platform/server';
import { allowTsxFunctions, launchChromium, presentCardAsScanner } from './browser';
import { seededRandom, startFaultProxy, type FaultCounts, type FaultProxy, type FaultRates } from './fault-proxy';
import { testSettings, TEST_STAFF_PIN } from './kiosk';
import { scratchDatabaseUrl } from './platform';

export interface ChaosOptions {
  seed: number;
  /** Class sessions staff open one after another; every learner of the site checks in to each. */
  sessions: number;
  rates: FaultRates;
  /** Chance, after each check-in, of closing the kiosk page and opening a new one on the same profile. */
  pageKill: number;
  /** Chance, after each check-in, of restarting the kiosk host on its port. */
  hostRestart: number;
  /** Chance, after each check-in, of restarting one platform instance on its port. */
  platformRestart: number;
  /** How long the clean network may take to bring the kiosk and the platform together. */
  convergeTimeoutMs: number;
  /** Where to say what the run is doing (the bench prints it on stderr). */
  log?: (line: string) => void;
}

export interface ChaosReport extends FaultCounts {
  checkIns: number;
  platformAttendance: number;
  kioskAttendance: number;
  pageKills: number;
  hostRestarts: number;
  platformRestarts: number;
  statusChanges: number;
  finalWaiting: number;
  /** Kiosk attendance records without the platform's receivedAt. */
  withoutReceivedAt: number;
  /** Check-ins the kiosk confirmed that the platform has no row for, and rows it has beyond them. */
  lostCheckIns: number;
  extraRows: number;
  /** Learners whose My credits (hours on screen, and anything pending) differs from the platform ledger. */
  ledgerMismatches: string[];
  /** Sessions whose status on the kiosk or the platform is not the one staff last set. */
  sessionMismatches: string[];
  convergeMs: number;
}

interface Instance {
  database: PlatformDatabase;
  app: FastifyInstance;
  port: number;
}

interface KioskRecord {
  id: string;
  classSessionId?: string;
  learnerId?: string;
  receivedAt?: string;
  refusal?: unknown;
  status?: string;
  statusVersion?: number;
  hours?: number;
  _deleted: boolean | '0' | '1';
}

/** Dexie storage keeps indexed booleans as '0' and '1'. */
const isDeleted = (doc: KioskRecord) => doc._deleted === true || doc._deleted === '1';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The kiosk's own IndexedDB, read as the page stores it (RxDB's Dexie storage keeps documents in a `docs` table). */
async function kioskDocuments(page: Page, collection: string): Promise<KioskRecord[]> {
  await allowTsxFunctions(page);
  return page.evaluate(async (suffix) => {
    const names = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('rxdb-dexie-') && n.endsWith(suffix));
    const all: unknown[] = [];
    for (const name of names) {
      all.push(
        ...(await new Promise<unknown[]>((resolve, reject) => {
          const open = indexedDB.open(name);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const request = open.result.transaction('docs', 'readonly').objectStore('docs').getAll();
            request.onerror = () => reject(request.error);
            request.onsuccess = () => {
              open.result.close();
              resolve(request.result as unknown[]);
            };
          };
        })),
      );
    }
    return all;
  }, `--${collection}`) as Promise<KioskRecord[]>;
}

/**
 * The fault-injection run (docs/check-in-and-sync.md, "Convergence"): two platform instances on
 * one database behind a proxy that drops requests and answers, duplicates and delays; the kiosk
 * host relays to the proxy; staff open and close sessions and learners check in through the real
 * renderer in headless Chromium while pages are killed and the kiosk host and platform instances
 * restart. Then the network turns clean, and the report says how far the two sides agree.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const random = seededRandom(options.seed ^ 0x5eed);
  const log = options.log ?? (() => undefined);
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const scratch = await scratchDatabaseUrl();
    cleanups.push(() => scratch.drop());
    const first = await openDatabase({ databaseUrl: scratch.url });
    cleanups.push(() => first.close());
    await migrateDatabase(first.pool);
    log('database migrated');
    const { kioskCredential } = await seedDemo(first.pool, null);
    log('demo seeded');
    if (!kioskCredential) throw new Error('The demo seed made no kiosk.');
    const pool = first.pool;

    const { rows: cards } = await pool.query<{ learner_id: string; display_name: string; card_text: string }>(
      `select distinct on (c.learner_id) c.learner_id, l.display_name, c.card_text
         from learner_cards c join learners l on l.id = c.learner_id where l.home_site_id = $1
        order by c.learner_id, c.serial desc`,
      [DEMO_SITE_ID],
    );
    // Sessions inside their check-in window now, an hour each so no learner reaches the daily cap.
    const sessions: { id: string; title: string }[] = [];
    const startsAt = new Date(Date.now() - 5 * 60_000);
    for (let i = 0; i < options.sessions; i++) {
      const session = { id: randomUUID(), title: `压力测试课 ${String(i + 1).padStart(3, '0')}` };
      sessions.push(session);
      await pool.query(
        `insert into class_sessions (id, site_id, title, teacher, starts_at, ends_at, status, roster, server_seq)
         values ($1, $2, $3, '测试老师', $4, $5, 'planned', $6, nextval('sync_seq'))`,
        [session.id, DEMO_SITE_ID, session.title, startsAt, new Date(startsAt.getTime() + 3_600_000), JSON.stringify(cards.map((c) => c.learner_id))],
      );
    }

    // Two instances on one database: separate pools on PostgreSQL, PGlite's one pool shared.
    const second = scratch.url ? await openDatabase({ databaseUrl: scratch.url }) : first;
    if (second !== first) cleanups.push(() => second.close());
    const instances: Instance[] = [];
    for (const database of [first, second]) {
      const app = await buildPlatformServer({ database });
      await app.listen({ host: '127.0.0.1', port: 0 });
      instances.push({ database, app, port: (app.server.address() as { port: number }).port });
    }
    cleanups.push(() => Promise.all(instances.map((i) => i.app.close())));
    const proxy: FaultProxy = await startFaultProxy(
      instances.map((i) => `http://127.0.0.1:${i.port}`),
      options.seed,
      options.rates,
    );
    cleanups.push(() => proxy.close());

    // The journal outlives kiosk host restarts, as the kiosk's data folder does.
    const kioskFolder = await mkdtemp(join(tmpdir(), 'yx-chaos-'));
    cleanups.push(() => rm(kioskFolder, { recursive: true, force: true }));
    const hostOptions = {
      settings: await testSettings(proxy.url),
      enrolment: { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, credential: kioskCredential },
      journalFile: join(kioskFolder, JOURNAL_FILE),
    };
    let host: RunningKioskHost = await startKioskHost(hostOptions);
    const hostPort = Number(new URL(host.url).port);
    cleanups.push(() => host.close());
    const browser: Browser = await launchChromium();
    cleanups.push(() => browser.close());
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    let page = await context.newPage();

    const counters = { pageKills: 0, hostRestarts: 0, platformRestarts: 0, statusChanges: 0 };
    const staffSet = new Map<string, string>();
    const checkedIn = new Set<string>();

    async function openKiosk() {
      await page.goto(host.url);
      await page.getByTestId('waiting-count').waitFor();
    }

    async function toStaff() {
      const home = page.getByRole('button', { name: '首页' });
      if (await home.count()) await home.click();
      await page.getByRole('button', { name: '工作人员' }).click();
      for (const digit of TEST_STAFF_PIN) await page.getByRole('button', { name: `数字 ${digit}` }).click();
      await page.getByRole('button', { name: '进入' }).click();
      await page.getByTestId('staff-session').first().waitFor();
    }

    async function setStatus(session: { id: string; title: string }, status: 'open' | 'closed') {
      const item = page.locator('[data-testid=staff-session]', { hasText: session.title });
      await item.getByRole('button', { name: status === 'open' ? '开始签到' : '结束签到' }).click();
      await page.locator(`[data-testid=staff-session][data-status=${status}]`, { hasText: session.title }).waitFor();
      // Opening one closes the one that was open, as staff see it.
      if (status === 'open') for (const [id, s] of staffSet) if (s === 'open') staffSet.set(id, 'closed');
      staffSet.set(session.id, status);
      counters.statusChanges++;
    }

    async function toCheckIn() {
      await toStaff();
      await page.getByRole('button', { name: '去签到页面' }).click();
      await page.getByTestId('scan-prompt').waitFor();
    }

    async function restartPlatformInstance() {
      const instance = instances[Math.floor(random() * instances.length)]!;
      await instance.app.close();
      await sleep(50 + random() * 200);
      instance.app = await buildPlatformServer({ database: instance.database });
      await instance.app.listen({ host: '127.0.0.1', port: instance.port });
      counters.platformRestarts++;
    }

    // The kiosk starts on a clean network and pulls keys, learners and the timetable.
    log('platform, proxy, kiosk host and browser started');
    await openKiosk();
    await toStaff();
    await page.waitForFunction((count) => document.querySelectorAll('[data-testid=staff-session]').length >= count, options.sessions);

    for (const [index, session] of sessions.entries()) {
      log(`session ${index + 1}: ${JSON.stringify({ ...proxy.counts, ...counters })}`);
      proxy.setMode('faulty');
      await setStatus(session, 'open');
      if (random() < 0.3) {
        await setStatus(session, 'closed');
        await setStatus(session, 'open');
      }
      // Half the sessions run with the platform out of reach, half on the faulty network.
      proxy.setMode(index % 2 === 0 ? 'offline' : 'faulty');
      await page.getByRole('button', { name: '去签到页面' }).click();
      await page.getByTestId('scan-prompt').waitFor();
      const order = [...cards].sort(() => random() - 0.5);
      for (const card of order) {
        // The next card is scanned while the last answer still shows, as at a busy class door.
        await presentCardAsScanner(page, card.card_text);
        const result = page.getByTestId('checkin-result').filter({ hasText: card.display_name });
        await result.waitFor();
        const kind = await result.getAttribute('data-result');
        if (kind !== 'checked-in' && kind !== 'already-checked-in') {
          throw new Error(`Check-in of ${card.learner_id} answered ${kind} ${await result.getAttribute('data-reason')}`);
        }
        checkedIn.add(`${session.id}/${card.learner_id}`);
        const roll = random();
        if (roll < options.pageKill) {
          await page.close();
          page = await context.newPage();
          await openKiosk();
          await toCheckIn();
          counters.pageKills++;
        } else if (roll < options.pageKill + options.hostRestart) {
          await host.close();
          host = await startKioskHost({ ...hostOptions, port: hostPort });
          counters.hostRestarts++;
        } else if (roll < options.pageKill + options.hostRestart + options.platformRestart) {
          await restartPlatformInstance();
        }
      }
      proxy.setMode('faulty');
      await toStaff();
    }
    await setStatus(sessions.at(-1)!, 'closed');

    // The network turns clean: everything must come together.
    proxy.setMode('clean');
    log(`clean network: ${JSON.stringify({ ...proxy.counts, ...counters })}`);
    const cleanAt = Date.now();
    const deadline = cleanAt + options.convergeTimeoutMs;
    const waiting = () => page.getByTestId('sync-waiting').getAttribute('data-count');
    while (Date.now() < deadline && (await waiting()) !== '0') await sleep(250);
    const finalWaiting = Number(await waiting());

    const expectedStatus = (id: string) => staffSet.get(id) ?? 'planned';
    const platformState = async () => {
      const { rows } = await pool.query<{ id: string; status: string }>('select id, status from class_sessions where id = any($1::uuid[])', [
        sessions.map((s) => s.id),
      ]);
      return rows;
    };
    const ledgerByLearner = async () => {
      const { rows } = await pool.query<{ learner_id: string; hours: string }>(
        'select learner_id, sum(hours)::text as hours from credit_ledger group by learner_id',
      );
      return new Map(rows.map((r) => [r.learner_id, Number(r.hours)]));
    };
    // Pulls run on a timer: wait until the kiosk holds the platform's sessions and ledger.
    let sessionMismatches: string[] = [];
    let kioskLedgerMismatch = true;
    while (Date.now() < deadline) {
      const kioskSessions = new Map((await kioskDocuments(page, 'class_sessions')).map((s) => [s.id, s.status]));
      const platform = await platformState();
      sessionMismatches = sessions
        .filter((s) => kioskSessions.get(s.id) !== expectedStatus(s.id) || platform.find((p) => p.id === s.id)?.status !== expectedStatus(s.id))
        .map((s) => `${s.title}: staff ${expectedStatus(s.id)}, kiosk ${kioskSessions.get(s.id)}, platform ${platform.find((p) => p.id === s.id)?.status}`);
      const ledger = await ledgerByLearner();
      const kioskLedger = new Map<string, number>();
      for (const e of await kioskDocuments(page, 'credit_ledger')) {
        if (!isDeleted(e)) kioskLedger.set(e.learnerId!, (kioskLedger.get(e.learnerId!) ?? 0) + e.hours!);
      }
      const off = [...ledger].filter(([learner, hours]) => Math.abs((kioskLedger.get(learner) ?? 0) - hours) > 0.001);
      kioskLedgerMismatch = off.length > 0;
      if (kioskLedgerMismatch) log(`ledger: ${off.map(([l, h]) => `${l} ${kioskLedger.get(l)}/${h}`).join(' ')}`);
      if (sessionMismatches.length === 0 && !kioskLedgerMismatch) break;
      await sleep(250);
    }
    const convergeMs = Date.now() - cleanAt;
    log(`converged after ${convergeMs} ms, waiting ${finalWaiting}; ${sessionMismatches.join('; ')}`);

    const kioskAttendance = (await kioskDocuments(page, 'attendance')).filter((a) => !isDeleted(a));
    const { rows: platformRows } = await pool.query<{ class_session_id: string; learner_id: string }>(
      'select class_session_id, learner_id from attendance where class_session_id = any($1::uuid[])',
      [sessions.map((s) => s.id)],
    );
    const platformKeys = new Set(platformRows.map((r) => `${r.class_session_id}/${r.learner_id}`));

    // My credits, as each learner sees it on the kiosk, against the platform's ledger.
    const ledger = await ledgerByLearner();
    const ledgerMismatches: string[] = [];
    await page.getByRole('button', { name: '退出工作人员模式' }).click();
    await page.getByRole('button', { name: '我的学分' }).click();
    // The screen is its own chunk: scan once it is there, as a learner holds the card up to it.
    await page.getByRole('heading', { name: '我的学分' }).waitFor();
    for (const card of cards) {
      await presentCardAsScanner(page, card.card_text);
      const credits = page.getByTestId('credits').filter({ hasText: card.display_name });
      await credits.waitFor();
      const shown = Number((await credits.getByTestId('ledger-hours').getAttribute('data-hours').catch(() => null)) ?? 0);
      const pending = await credits.getByTestId('pending-hours').count();
      const expected = ledger.get(card.learner_id) ?? 0;
      if (Math.abs(shown - expected) > 0.001 || pending > 0) ledgerMismatches.push(`${card.learner_id}: kiosk ${shown} (+pending ${pending}), platform ${expected}`);
    }

    return {
      ...proxy.counts,
      checkIns: checkedIn.size,
      platformAttendance: platformRows.length,
      kioskAttendance: kioskAttendance.length,
      ...counters,
      finalWaiting,
      withoutReceivedAt: kioskAttendance.filter((a) => !a.receivedAt).length,
      lostCheckIns: [...checkedIn].filter((key) => !platformKeys.has(key)).length,
      extraRows: platformRows.length - checkedIn.size,
      ledgerMismatches,
      sessionMismatches,
      convergeMs,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}
