/**
 * `npm run bench -- initial-pull [--courses 1000] [--learners 20000] [--ledger 50000] [--runs 1]
 * [--compare DIR]`: a fresh kiosk enrolled at a big site. The platform (PGlite, or PostgreSQL when
 * DATABASE_URL is set) holds the site's courses, learners with cards and credit ledger entries;
 * the built renderer opens from the real kiosk host in headless Chromium, each run in a fresh
 * browser context (an empty IndexedDB), and pulls them into IndexedDB. Prints one line a run:
 * {"bench":"initial-pull","build":"this","initial_pull_ms":x,"everything_ms":x,"indexeddb_mb":x,...}.
 *
 * initial_pull_ms is the time from opening the page until the kiosk is usable: IndexedDB holds
 * every row the platform serves this kiosk of every collection but the credit ledger, so a
 * learner's card verifies (issuer keys, revocations, the learner directory), check-in finds the
 * site's classes and Learn lists every course. The ledger is only My credits', which says while it
 * is still arriving (kiosk-replication.ts, ledgerArriving$). everything_ms is when the ledger is
 * held too. indexeddb_mb is navigator.storage.estimate()'s usage then. pull_requests_ms sums the
 * time pull requests were in flight (collections pull side by side, so it can exceed the whole).
 *
 * Before the runs, every collection is fetched once through the relay with nothing stored, as many
 * rows a page as the kiosk asks for: what the platform's queries, the relay and JSON take
 * (fetch_only_ms, one line), and the row counts the runs wait for. `--compare DIR` also runs the
 * renderer built in DIR (say, dist/renderer of the commit before a change, copied aside),
 * alternating with this build run by run against the same platform, so both meet the same load.
 * Target: initial_pull_ms 10 s or less. Run `npm run build` first.
 */
import { parseArgs } from 'node:util';
import { seedDemo, DEMO_SITE_ID } from '../sync/platform/demo-seed';
import { withSyncWrite } from '../sync/platform/database';
import { issueCardFor } from '../sync/platform/issuer-keys';
import { launchChromium } from '../test/support/browser';
import { startTestPlatform } from '../test/support/platform';
import { startTestKioskHost } from '../test/support/kiosk';
import { testCourse } from '../test/support/trusted-sync';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { MAX_PULL_LIMIT, replicatedCollections, type ReplicatedCollection } from '../sync/protocol/replication';
import { DEFAULT_RENDERER_DIR } from '../electron/host/kiosk-host';

type Counts = Record<ReplicatedCollection, number>;
const collections = Object.keys(replicatedCollections) as ReplicatedCollection[];
/** What the kiosk can do without for a while; kiosk-replication.ts pulls it last. */
const ARRIVES_LAST: ReplicatedCollection = 'credit_ledger';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      courses: { type: 'string', default: '1000' },
      learners: { type: 'string', default: '20000' },
      ledger: { type: 'string', default: '50000' },
      runs: { type: 'string', default: '1' },
      compare: { type: 'string' },
    },
  });
  const size = { courses: Number(values.courses), learners: Number(values.learners), ledger: Number(values.ledger) };
  const platform = await startTestPlatform();
  const pool = platform.database.pool;
  const { kioskCredential } = await seedDemo(pool, null);
  const seedStarted = performance.now();
  await withSyncWrite(pool, async (client) => {
    const courses = Array.from({ length: size.courses }, (_, i) => testCourse(`bench-course-${i}`, 2, 8, 600));
    await client.query(
      `insert into courses (id, version, manifest, credit_hours, server_seq)
       select c->>'id', (c->>'version')::int, c, (c->>'creditHours')::numeric, next_sync_seq() from jsonb_array_elements($1::jsonb) as c`,
      [JSON.stringify(courses)],
    );
    // The learners_place_at_home trigger places each at the site, so the site's kiosks pull them and their ledger.
    await client.query(
      `insert into learners (id, display_name, home_site_id, server_seq)
       select 'GD2027' || lpad(i::text, 6, '0'), '学员' || i, $2, next_sync_seq() from generate_series(1, $1::int) as i`,
      [size.learners, DEMO_SITE_ID],
    );
    // One card signed for real gives the length of a card's text; the rest carry random text as long (signing 20,000 is setup, not the bench).
    const { text } = await issueCardFor(client, 'GD2027000001');
    await client.query(
      `insert into learner_cards (serial, learner_id, issuer_key_id, issued_at, expires_at, card_text)
       select nextval('learner_card_serial'), l.id, k.id, now(), now() + interval '730 days',
              substr((select string_agg(md5(random()::text), '') from generate_series(1, $1::int / 32 + 1) where l.id is not null), 1, $1::int)
         from learners l, (select id from issuer_keys where status = 'active' limit 1) k
        where l.id like 'GD2027%' and l.id <> 'GD2027000001'`,
      [text.length],
    );
    await client.query(`update learners set server_seq = next_sync_seq() where id like 'GD2027%'`);
    await client.query(
      `insert into credit_ledger (id, learner_id, source_type, source_id, hours, credits, earned_on, server_seq)
       select gen_random_uuid(), 'GD2027' || lpad((i % $2::int + 1)::text, 6, '0'), 'attendance', gen_random_uuid(), 2, 0.1,
              date '2026-01-05' + (i % 300), next_sync_seq()
         from generate_series(1, $1::int) as i`,
      [size.ledger, size.learners],
    );
  });
  const seed_ms = Math.round(performance.now() - seedStarted);
  const builds = [{ build: 'this', dir: DEFAULT_RENDERER_DIR }, ...(values.compare ? [{ build: 'compare', dir: resolve(values.compare) }] : [])];
  const hosts = await Promise.all(builds.map(({ dir }) => startTestKioskHost(platform.url, kioskCredential!, { rendererDir: dir })));
  const browser = await launchChromium();
  try {
    // What the platform serves this kiosk, fetched through the relay with nothing stored: the counts to wait for, and what the wire and the platform take.
    const expected = {} as Counts;
    const fetch_only_ms = {} as Counts;
    for (const name of collections) {
      const fetchStarted = performance.now();
      expected[name] = 0;
      for (let seq: number | null = 0; seq !== null; ) {
        const answer = (await (await fetch(`${hosts[0]!.url}/sync/${name}/pull?limit=${MAX_PULL_LIMIT}&seq=${seq}`)).json()) as { documents: unknown[]; checkpoint: { seq: number } | null };
        expected[name] += answer.documents.length;
        seq = answer.documents.length > 0 ? answer.checkpoint!.seq : null;
      }
      fetch_only_ms[name] = Math.round(performance.now() - fetchStarted);
    }
    console.log(JSON.stringify({ bench: 'initial-pull', database: platform.databaseUrl ? 'postgresql' : 'pglite', seed_ms, ...expected, fetch_only_ms }));
    for (let run = 1; run <= Number(values.runs); run++) {
      for (const [i, { build }] of builds.entries()) {
        console.log(JSON.stringify({ bench: 'initial-pull', build, run, ...(await pullOnce(browser, hosts[i]!.url, expected)) }));
      }
    }
  } finally {
    await browser.close();
    await Promise.all(hosts.map((host) => host.close()));
    await platform.close();
  }
}

/** One fresh kiosk (a new browser context: empty IndexedDB) pulling the site until it holds everything. */
async function pullOnce(browser: Browser, url: string, expected: Counts) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    // Time spent waiting on pull requests (relay and platform queries), the rest is the kiosk storing what came.
    const pulls = { requests: 0, ms: 0 };
    page.on('requestfinished', (request) => {
      if (!request.url().includes('/pull?')) return;
      pulls.requests++;
      pulls.ms += request.timing().responseEnd;
    });
    const holds = (held: Record<string, number>, names: ReplicatedCollection[]) => names.every((c) => (held[c] ?? 0) >= expected[c]);
    const started = performance.now();
    await page.goto(url);
    const deadline = started + 600_000;
    let usable: number | null = null;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const held = await page.evaluate(countKioskDocuments, collections);
      if (usable === null && holds(held, collections.filter((c) => c !== ARRIVES_LAST))) usable = performance.now() - started;
      if (holds(held, collections)) break;
      if (performance.now() > deadline) throw new Error(`The kiosk holds ${JSON.stringify(held)} of ${JSON.stringify(expected)} after 10 minutes.`);
    }
    const everything_ms = Math.round(performance.now() - started);
    const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    return {
      initial_pull_ms: Math.round(usable ?? everything_ms),
      everything_ms,
      pull_requests: pulls.requests,
      pull_requests_ms: Math.round(pulls.ms),
      indexeddb_mb: Math.round((usage / 1_048_576) * 10) / 10,
    };
  } finally {
    await context.close();
  }
}

/**
 * Runs in the page: RxDB's Dexie storage keeps each collection in an IndexedDB database named
 * after it; counts the documents of each, straight from IndexedDB.
 */
async function countKioskDocuments(names: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(names.map((c) => [c, 0]));
  for (const { name } of await indexedDB.databases()) {
    const collection = names.find((c) => name?.endsWith(`--${c}`));
    if (!name || !collection) continue;
    counts[collection] = await new Promise<number>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const store = [...db.objectStoreNames].find((s) => s === 'docs') ?? db.objectStoreNames[0];
        if (!store) {
          db.close();
          resolve(0);
          return;
        }
        const request = db.transaction(store).objectStore(store).count();
        request.onsuccess = () => {
          db.close();
          resolve(request.result);
        };
        request.onerror = () => reject(request.error);
      };
    });
  }
  return counts;
}
