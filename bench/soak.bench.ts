/**
 * `npm run bench -- soak [--minutes N]` (default 20): endurance. One kiosk page in headless
 * Chromium, never reloaded, lives through an accelerated day over and over: staff unlock with
 * the PIN, look at the roster and open the day's class; learners check in with their cards, look
 * at My credits and play a lesson with seeking; staff sync and close the class; the kiosk is left
 * alone until it resets itself; every fourth day the platform is down and comes back. After each
 * day the bench forces a collection in the kiosk host (its own process, so its memory is not the
 * bench's) and in the renderer (DevTools protocol), and samples the host's RSS and heap, the
 * renderer's JS heap, DOM nodes and event listeners.
 *
 * Prints JSON lines: one per sample (`soak_sample`), then for host plus renderer and for each
 * part `start_mb`, `warm_mb`, `end_mb`, `peak_mb` and the growth after warm-up (the first quarter
 * of the days, at least two: caches fill and code is compiled while warming up), likewise for DOM
 * nodes and event listeners, and last `no_growth_after_warm_up`. Growth is per simulated day, the
 * Theil–Sen slope over the days after warm-up with its 95% interval (bench/growth.ts: robust to
 * the odd noisy sample), `growth_mb_per_hour` the same at this run's pace; each part's verdict is
 * "no growth" when the whole interval is within the threshold (NO_GROWTH_MB_PER_DAY,
 * NO_GROWTH_COUNT_PER_DAY), "growth" when it is all above, else "unsure" (run longer). Targets:
 * host plus renderer ≤ 400 MB, no growth after warm-up. `--steps` also logs (stderr) what the
 * renderer holds after each step of a day, to find which step leaks; `--heap-diff` logs the
 * detached DOM nodes still held at the end and which objects made on one day after warm-up are
 * still alive, with how they are held (heap snapshots, test/support/heap-snapshot.ts). Run
 * `npm run build` first.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { CDPSession, Locator, Page } from 'playwright-core';
import { writeDemoCourses } from '../assets/demo-courses';
import { DEFAULT_RENDERER_DIR } from '../electron/host/kiosk-host';
import { JOURNAL_FILE } from '../electron/host/record-journal';
import { withSyncWrite } from '../sync/platform/database';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, seedDemo } from '../sync/platform/demo-seed';
import { buildPlatformServer } from '../sync/platform/server';
import { startPlatform } from '../sync/platform/start-platform';
import { launchChromium, presentCardAsScanner } from '../test/support/browser';
import { testSettings, TEST_STAFF_PIN } from '../test/support/kiosk';
import { memoryProbe, rendererMemory } from '../test/support/renderer-memory';
import { detachedNodes, parseHeapSnapshot, survivorsSince, takeHeapSnapshot, type HeapSnapshot } from '../test/support/heap-snapshot';
import { build } from 'esbuild';
import { shellBuilds } from '../electron/build-shell';
import type { HostMemory, SoakHostMessage, SoakHostOptions } from './soak-host';
import { growth, type GrowthVerdict } from './growth';

const TARGET_MB = 400;
/** Short, so a day's idle reset takes seconds (plus the ten-second countdown), long enough for every step between touches. */
const IDLE_SECONDS = 15;
const CHECK_INS_PER_DAY = 10;
const OUTAGE_EVERY = 4;
const LESSONS = [
  { course: 'smartphone-basics', lesson: 'video-call' },
  { course: 'cantonese-cuisine', lesson: 'old-fire-soup' },
];
const MB = 1024 * 1024;

interface Sample {
  day: number;
  atMs: number;
  hostRssMb: number;
  hostHeapMb: number;
  host: HostMemory;
  rendererHeapMb: number;
  domNodes: number;
  listeners: number;
}

interface Card {
  learnerId: string;
  name: string;
  text: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round1 = (n: number) => Math.round(n * 10) / 10;

/** The kiosk host in a child process, with a forced collection before each sample. */
class HostProcess {
  private waiting: ((message: SoakHostMessage) => void)[] = [];
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: SoakHostMessage) => this.waiting.shift()?.(message));
  }

  static async start(options: SoakHostOptions, work: string): Promise<{ host: HostProcess; url: string }> {
    // Built as the Electron shell is (one esbuild bundle) and run by plain node: under tsx the
    // host also carried tsx's loader thread and its compiled sources, about 50 MB more RSS at
    // the start, growing as code paths were first used.
    const bundle = join(work, 'soak-host.mjs');
    await build({ ...shellBuilds.main, entryPoints: [fileURLToPath(new URL('./soak-host.ts', import.meta.url))], outfile: bundle });
    const child = fork(bundle, {
      execArgv: ['--expose-gc'],
      // One malloc arena. The staff PIN check (scrypt, 16 MiB of scratch) runs on one of libuv's
      // four worker threads, and glibc keeps the freed scratch resident in that thread's own
      // arena: RSS rose in 16 MB steps, on whichever day a PIN check first landed on another
      // thread, up to 64 MB, with the JS heap flat. Bounded, not a leak, but it made RSS
      // growth a matter of chance; with one arena the scratch is kept once, from the first
      // unlock, and anonymous memory that still grows after warm-up is memory the host holds.
      env: { ...process.env, MALLOC_ARENA_MAX: '1', SOAK_HOST: JSON.stringify(options) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const host = new HostProcess(child);
    const ready = await new Promise<SoakHostMessage>((resolve, reject) => {
      host.waiting.push(resolve);
      child.once('exit', (code) => reject(new Error(`The kiosk host exited with ${code} before it was ready.`)));
    });
    if (ready.type !== 'ready') throw new Error('The kiosk host did not say it was ready.');
    return { host, url: ready.url };
  }

  async sample(): Promise<HostMemory> {
    const answer = await new Promise<SoakHostMessage>((resolve) => {
      this.waiting.push(resolve);
      this.child.send({ type: 'sample' });
    });
    if (answer.type !== 'sample') throw new Error('The kiosk host answered a sample with something else.');
    return answer;
  }

  /** A heap snapshot of the host, written by the host itself (node:v8) and read here. */
  async heapSnapshot(file: string): Promise<HeapSnapshot> {
    const answer = await new Promise<SoakHostMessage>((resolve) => {
      this.waiting.push(resolve);
      this.child.send({ type: 'heap-snapshot', file });
    });
    if (answer.type !== 'heap-snapshot') throw new Error('The kiosk host answered a heap snapshot with something else.');
    const heap = parseHeapSnapshot(await readFile(answer.file, 'utf8'));
    await rm(answer.file);
    return heap;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'close' });
    await Promise.race([exited, sleep(10_000)]);
    if (this.child.exitCode === null) this.child.kill();
  }
}

export async function run(args: string[]): Promise<void> {
  if (!existsSync(DEFAULT_RENDERER_DIR)) throw new Error('The renderer is not built: run "npm run build" first.');
  const minutesArg = args.find((a) => a.startsWith('--minutes'));
  const minutes = Number(minutesArg?.includes('=') ? minutesArg.split('=')[1] : minutesArg ? args[args.indexOf(minutesArg) + 1] : 20);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error('--minutes wants a positive number of minutes.');
  const steps = args.includes('--steps');
  const diffHeap = args.includes('--heap-diff');
  const log = (line: string) => console.error(`[soak] ${line}`);
  const cleanups: (() => Promise<unknown>)[] = [];
  const samples: Sample[] = [];
  try {
    const work = await mkdtemp(join(tmpdir(), 'yx-soak-'));
    cleanups.push(() => rm(work, { recursive: true, force: true }));
    await writeDemoCourses(join(work, 'content'));
    const contentDir = join(work, 'content');
    const platform = await startPlatform({ contentDir });
    const { database } = platform;
    let app: FastifyInstance | null = platform.app;
    const platformPort = (app.server.address() as { port: number }).port;
    cleanups.push(async () => {
      await app?.close();
      await database.close();
    });
    const { kioskCredential } = await seedDemo(database.pool, null);
    if (!kioskCredential) throw new Error('The demo seed made no kiosk.');
    const { rows } = await database.pool.query<{ learner_id: string; display_name: string; card_text: string }>(
      `select distinct on (c.learner_id) c.learner_id, l.display_name, c.card_text
         from learner_cards c join learners l on l.id = c.learner_id where l.home_site_id = $1
        order by c.learner_id, c.serial desc`,
      [DEMO_SITE_ID],
    );
    const cards: Card[] = rows.map((r) => ({ learnerId: r.learner_id, name: r.display_name, text: r.card_text }));

    const { host, url } = await HostProcess.start(
      {
        settings: await testSettings(platform.url, IDLE_SECONDS),
        enrolment: { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, credential: kioskCredential },
        rendererDir: DEFAULT_RENDERER_DIR,
        journalFile: join(work, JOURNAL_FILE),
        cacheDir: join(work, 'cache'),
      },
      work,
    );
    cleanups.push(() => host.close());
    const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
    cleanups.push(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const cdp = await memoryProbe(page);
    const heapDiff = diffHeap ? new HeapDiff(cdp, host, work) : null;
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    const keysPulled = page.waitForResponse((r) => r.url().includes('/sync/issuer_keys/pull') && r.ok());
    await page.goto(url);
    await keysPulled;
    log(`kiosk at ${url}, platform at ${platform.url}`);

    const platformDown = async () => {
      await app?.close();
      app = null;
    };
    const platformUp = async () => {
      app = await buildPlatformServer({ database, contentDir });
      await app.listen({ host: '127.0.0.1', port: platformPort });
    };

    const startedAt = Date.now();
    const endAt = startedAt + minutes * 60_000;
    const sample = async (day: number) => {
      const hostMemory = await host.sample();
      const renderer = await rendererMemory(cdp);
      const s: Sample = {
        day,
        atMs: Date.now() - startedAt,
        hostRssMb: hostMemory.rss / MB,
        hostHeapMb: hostMemory.heapUsed / MB,
        host: hostMemory,
        rendererHeapMb: renderer.heapBytes / MB,
        domNodes: renderer.domNodes,
        listeners: renderer.listeners,
      };
      samples.push(s);
      console.log(
        JSON.stringify({
          bench: 'soak',
          metric: 'soak_sample',
          day,
          minute: round1(s.atMs / 60_000),
          host_rss_mb: round1(s.hostRssMb),
          host_heap_mb: round1(s.hostHeapMb),
          host_anon_mb: round1(hostMemory.anonymous / MB),
          host_file_mb: round1(hostMemory.fileBacked / MB),
          host_heap_total_mb: round1(hostMemory.heapTotal / MB),
          host_external_mb: round1(hostMemory.external / MB),
          host_array_buffers_mb: round1(hostMemory.arrayBuffers / MB),
          host_spaces_mb: Object.fromEntries(Object.entries(hostMemory.spaces).map(([name, bytes]) => [name, round1(bytes / MB)])),
          renderer_heap_mb: round1(s.rendererHeapMb),
          dom_nodes: s.domNodes,
          listeners: s.listeners,
        }),
      );
    };
    await sample(0);

    for (let day = 1; Date.now() < endAt; day++) {
      const outage = day % OUTAGE_EVERY === 0;
      await kioskDay(page, {
        day,
        cards,
        outage,
        addClass: async (title) => {
          const id = randomUUID();
          const startsAt = new Date(Date.now() - 5 * 60_000);
          await withSyncWrite(database.pool, (client) =>
            client.query(
              `insert into class_sessions (id, site_id, title, teacher, starts_at, ends_at, status, roster, server_seq)
               values ($1, $2, $3, '耐久老师', $4, $5, 'planned', $6, next_sync_seq())`,
              [id, DEMO_SITE_ID, title, startsAt, new Date(startsAt.getTime() + 3_600_000), JSON.stringify(cards.map((c) => c.learnerId))],
            ),
          );
          return id;
        },
        // The day is over: its class moves into the past, as it would after a night, beyond the
        // staff list's 30 days so the list stays a day's length.
        ageClass: (id) =>
          withSyncWrite(database.pool, (client) =>
            client.query(
              `update class_sessions set starts_at = starts_at - interval '40 days', ends_at = ends_at - interval '40 days', server_seq = next_sync_seq() where id = $1`,
              [id],
            ),
          ),
        platformDown,
        platformUp,
        log,
        step: async (name) => {
          if (!steps) return;
          const renderer = await rendererMemory(cdp);
          const attached = await page.evaluate(() => document.getElementsByTagName('*').length);
          log(`day ${day} ${name}: heap ${round1(renderer.heapBytes / MB)} MB, nodes ${renderer.domNodes} (attached elements ${attached}), listeners ${renderer.listeners}`);
        },
      });
      await sample(day);
      if (heapDiff) await heapDiff.afterDay(day);
    }
    await heapDiff?.atEnd(log);
    if (pageErrors.length) log(`page errors: ${pageErrors.join(' | ')}`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
  report(samples);
}

/**
 * "No growth", stated as a number a day can be held to: a kiosk left running a year of such days
 * may grow by at most 5% of the 400 MB budget in each measure of memory (20 MB / 365 days), and
 * keep at most one more DOM node or event listener a day.
 */
const NO_GROWTH_MB_PER_DAY = (0.05 * TARGET_MB) / 365;
const NO_GROWTH_COUNT_PER_DAY = 1;

function report(samples: Sample[]) {
  if (samples.length < 4) throw new Error('Too few samples for a growth figure: give the soak more minutes.');
  const days = samples.at(-1)!.day;
  const hours = samples.at(-1)!.atMs / 3_600_000;
  const warmUpDays = Math.max(2, Math.ceil(days / 4));
  const after = samples.filter((s) => s.day >= warmUpDays);
  const parts: [string, (s: Sample) => number, 'mb' | 'count'][] = [
    ['total', (s) => s.hostRssMb + s.rendererHeapMb, 'mb'],
    ['host_rss', (s) => s.hostRssMb, 'mb'],
    ['host_heap', (s) => s.hostHeapMb, 'mb'],
    ['host_heap_total', (s) => s.host.heapTotal / MB, 'mb'],
    ['host_anon', (s) => s.host.anonymous / MB, 'mb'],
    ['host_file', (s) => s.host.fileBacked / MB, 'mb'],
    ['host_external', (s) => s.host.external / MB, 'mb'],
    ['renderer_heap', (s) => s.rendererHeapMb, 'mb'],
    ['dom_nodes', (s) => s.domNodes, 'count'],
    ['listeners', (s) => s.listeners, 'count'],
  ];
  const verdicts: GrowthVerdict[] = [];
  for (const [part, value, unit] of parts) {
    const threshold = unit === 'mb' ? NO_GROWTH_MB_PER_DAY : NO_GROWTH_COUNT_PER_DAY;
    const g = growth(after.map((s) => ({ x: s.day, y: value(s) })), threshold);
    verdicts.push(g.verdict);
    const round = unit === 'mb' ? (n: number) => Math.round(n * 1000) / 1000 : round1;
    const figures = unit === 'mb'
      ? { start_mb: round1(value(samples[0]!)), warm_mb: round1(value(after[0]!)), end_mb: round1(value(samples.at(-1)!)), peak_mb: round1(Math.max(...samples.map(value))) }
      : { start: value(samples[0]!), warm: value(after[0]!), end: value(samples.at(-1)!), peak: Math.max(...samples.map(value)) };
    console.log(
      JSON.stringify({
        bench: 'soak',
        part,
        days,
        warm_up_days: warmUpDays,
        minutes: round1(hours * 60),
        ...figures,
        // Theil–Sen over the days after warm-up, with its 95% interval (bench/growth.ts).
        [unit === 'mb' ? 'growth_mb_per_day' : 'growth_per_day']: round(g.slope),
        growth_per_day_95: [round(g.low), round(g.high)],
        [unit === 'mb' ? 'growth_mb_per_hour' : 'growth_per_hour']: round1((g.slope * days) / hours),
        no_growth_threshold_per_day: round(threshold),
        verdict: g.verdict,
        ...(part === 'total' ? { target_mb: TARGET_MB, withinTarget: Math.max(...samples.map(value)) <= TARGET_MB } : {}),
      }),
    );
  }
  const overall = verdicts.includes('growth') ? 'growth' : verdicts.includes('unsure') ? 'unsure' : 'no growth';
  console.log(JSON.stringify({ bench: 'soak', metric: 'no_growth_after_warm_up', verdict: overall, met: overall === 'no growth' }));
}

/**
 * `--heap-diff`: which objects made on one day after warm-up (day HEAP_DIFF_DAY) are still
 * alive at the end, days later, in the renderer and in the kiosk host, by constructor, with how
 * the first few are held; and the renderer's detached DOM nodes still held. Heap snapshots
 * before and after that day mark which objects it made (ids grow with each allocation and stay
 * stable between one heap's snapshots).
 */
const HEAP_DIFF_DAY = 3;
class HeapDiff {
  private readonly marks = { renderer: { before: 0, after: 0 }, host: { before: 0, after: 0 } };
  private readonly snapshots: Record<'renderer' | 'host', () => Promise<HeapSnapshot>>;
  constructor(cdp: CDPSession, host: HostProcess, work: string) {
    this.snapshots = { renderer: () => takeHeapSnapshot(cdp), host: () => host.heapSnapshot(join(work, 'host.heapsnapshot')) };
  }

  async afterDay(day: number): Promise<void> {
    for (const part of ['renderer', 'host'] as const) {
      if (day === HEAP_DIFF_DAY - 1) this.marks[part].before = (await this.snapshots[part]()).maxId;
      if (day === HEAP_DIFF_DAY) this.marks[part].after = (await this.snapshots[part]()).maxId;
    }
  }

  async atEnd(log: (line: string) => void): Promise<void> {
    if (!this.marks.host.after) return log(`--heap-diff wants more than ${HEAP_DIFF_DAY} days: give the soak more minutes.`);
    for (const part of ['renderer', 'host'] as const) {
      const heap = await this.snapshots[part]();
      if (part === 'renderer') {
        const detached = detachedNodes(heap);
        log(`renderer: DOM nodes out of the document still held at the end: ${detached.reduce((n, g) => n + g.count, 0)}`);
        for (const g of detached.slice(0, 30)) log(`  ${g.count} × ${g.what}\n      ${g.paths.join('\n      ')}`);
      }
      const groups = survivorsSince(heap, this.marks[part].before, this.marks[part].after);
      log(`${part}: objects made on day ${HEAP_DIFF_DAY} still alive at the end: ${groups.reduce((n, g) => n + g.count, 0)}, ${groups.reduce((n, g) => n + g.bytes, 0)} bytes`);
      for (const g of groups.slice(0, 40)) log(`  ${g.count} × ${g.what}, ${g.bytes} bytes\n      ${g.paths.join('\n      ')}`);
    }
  }
}

interface DayPlan {
  day: number;
  cards: Card[];
  outage: boolean;
  addClass(title: string): Promise<string>;
  ageClass(id: string): Promise<unknown>;
  platformDown(): Promise<void>;
  platformUp(): Promise<void>;
  log(line: string): void;
  /** With --steps: after each step, what the renderer holds (for finding which step leaks). */
  step(name: string): Promise<void>;
}

/** One accelerated kiosk day, through the screens as people use them. */
async function kioskDay(page: Page, plan: DayPlan): Promise<void> {
  const { day, cards } = plan;
  const title = `耐久测试课 第${day}天`;
  const session = page.locator('[data-testid=staff-session]', { hasText: title });
  // Waiting on the platform (a pull, the last push) is not a person walking away: while the bench
  // waits, it touches the screen now and then, as someone standing there would.
  const waitTouching = async (until: () => Promise<unknown>, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await until();
      } catch (error) {
        if (Date.now() > deadline || !(error instanceof Error) || error.name !== 'TimeoutError') throw error;
        await page.evaluate(() => document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true })));
      }
    }
  };
  // A screen is fetched as a chunk of its own the first time: a card presented before it listens
  // is not read, so it is presented again until the screen shows what it read.
  const scanUntil = async (cardText: string, shown: Locator) => {
    for (let tries = 0; ; tries++) {
      await presentCardAsScanner(page, cardText);
      try {
        return await shown.waitFor({ timeout: 3000 });
      } catch (error) {
        if (tries >= 20 || !(error instanceof Error) || error.name !== 'TimeoutError') throw error;
      }
    }
  };
  const goHome = async () => {
    const home = page.getByRole('button', { name: '首页' });
    if (await home.count()) await home.first().click();
    await page.getByRole('button', { name: '上课签到' }).waitFor();
  };
  const unlockStaff = async () => {
    await page.getByRole('button', { name: '工作人员' }).click();
    for (const digit of TEST_STAFF_PIN) await page.getByRole('button', { name: `数字 ${digit}` }).click();
    await page.getByRole('button', { name: '进入' }).click();
    await page.getByTestId('sync-status').waitFor();
  };

  // Morning: the day's class comes from the platform; staff look at the roster and open it.
  const sessionId = await plan.addClass(title);
  await unlockStaff();
  await waitTouching(() => session.waitFor({ timeout: 3000 }));
  if (plan.outage) {
    await plan.platformDown();
    plan.log(`day ${day}: platform down`);
  }
  await session.getByRole('button', { name: '查看名单' }).click();
  await page.getByTestId('roster').waitFor();
  await session.getByRole('button', { name: '收起名单' }).click();
  await session.getByRole('button', { name: '开始签到' }).click();
  await page.locator('[data-testid=staff-session][data-status=open]', { hasText: title }).waitFor();
  await session.getByRole('button', { name: '去签到页面' }).click();
  await plan.step('staff-open');

  // Learners check in with their cards, one after another at the door.
  await page.getByTestId('scan-prompt').waitFor();
  for (let i = 0; i < CHECK_INS_PER_DAY; i++) {
    const card = cards[(day * CHECK_INS_PER_DAY + i) % cards.length]!;
    await presentCardAsScanner(page, card.text);
    const welcomed = page.locator('[data-testid=checkin-result]:not([data-result=rejected])', { hasText: card.name });
    const rejected = page.locator('[data-testid=checkin-result][data-result=rejected]');
    // Long: at a load average of 20 on two cores a welcome has taken over the default 30 s.
    await welcomed.or(rejected).waitFor({ timeout: 120_000 });
    if (await rejected.count()) {
      // A refusal is an answer too (hours are capped per real day, and the accelerated days share one).
      plan.log(`day ${day}: check-in of ${card.learnerId} refused: ${await rejected.getAttribute('data-reason')}`);
      await rejected.getByRole('button').click();
      await rejected.waitFor({ state: 'detached' });
    }
  }
  await goHome();

  await plan.step('check-ins');
  // My credits, for two learners.
  await page.getByRole('button', { name: '我的学分' }).click();
  for (const card of [cards[day % cards.length]!, cards[(day + 7) % cards.length]!]) {
    await scanUntil(card.text, page.getByTestId('credits').filter({ hasText: card.name }));
  }
  await goHome();

  await plan.step('credits');
  // A lesson, seeking about in it, played to the end.
  const learner = cards[(day + 3) % cards.length]!;
  const { course, lesson } = LESSONS[day % LESSONS.length]!;
  await page.getByRole('button', { name: '学习课程' }).click();
  await page.getByTestId('course-list').waitFor();
  await scanUntil(learner.text, page.locator(`[data-testid=learner][data-learner="${learner.learnerId}"]`));
  await page.locator(`[data-course="${course}"]`).click();
  await waitTouching(() => page.locator('[data-testid=lesson-list][data-ready=true]').waitFor({ timeout: 3000 }));
  await page.locator(`[data-lesson="${lesson}"]`).click();
  await waitTouching(() =>
    page.waitForFunction(() => ((document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement | null)?.readyState ?? 0) >= 1, undefined, { timeout: 3000 }),
  );
  await page.evaluate(() => {
    const media = document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement;
    media.currentTime = media.duration / 2;
  });
  await page.getByTestId('play-pause').click();
  await sleep(800);
  await page.evaluate(() => {
    const media = document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement;
    media.currentTime = Math.max(0, media.duration / 4);
    media.currentTime = media.duration - 1.2;
  });
  await page.getByTestId('lesson-complete').waitFor({ timeout: 30_000 });
  await goHome();

  await plan.step('lesson');
  // Evening: staff sync and close the class.
  await unlockStaff();
  await page.getByRole('button', { name: '立即同步' }).click();
  await session.getByRole('button', { name: '结束签到' }).click();
  await page.locator('[data-testid=staff-session][data-status=closed]', { hasText: title }).waitFor();
  await page.getByRole('button', { name: '退出工作人员模式' }).click();
  if (plan.outage) {
    await plan.platformUp();
    plan.log(`day ${day}: platform back`);
  }
  // Everything recorded reaches the platform before the night.
  await waitTouching(() =>
    page.waitForFunction(() => document.querySelector('[data-testid=waiting-count]')?.getAttribute('data-count') === '0', undefined, { timeout: 3000 }),
  );
  await plan.ageClass(sessionId);
  await plan.step('staff-close');

  // Somebody opens My credits and walks away: the kiosk resets itself.
  await page.getByRole('button', { name: '我的学分' }).click();
  await page.getByTestId('idle-overlay').waitFor({ timeout: (IDLE_SECONDS + 10) * 1000 });
  await page.getByRole('button', { name: '上课签到' }).waitFor({ timeout: 30_000 });
  await plan.step('idle-reset');
}
