/**
 * `npm run bench -- initial-pull [--courses 1000] [--learners 20000] [--ledger 50000]`: a fresh
 * kiosk enrolled at a big site. The platform (PGlite, or PostgreSQL when DATABASE_URL is set)
 * holds the site's courses, learners with cards and credit ledger entries; the built renderer
 * opens from the real kiosk host in headless Chromium and pulls them into IndexedDB. Prints
 * {"bench":"initial-pull","initial_pull_ms":x,"without_ledger_ms":x,"pull_requests_ms":x,"indexeddb_mb":x,...}.
 * initial_pull_ms is the time from opening the page until IndexedDB holds every course, learner
 * and ledger entry of the site: what "usable" means here, since My credits reads the ledger and
 * shows nothing to tell a learner that it is still arriving. without_ledger_ms is when the courses
 * and learners were all held (check-in, the roster and Learn need no ledger), for comparison only.
 * indexeddb_mb is navigator.storage.estimate()'s usage then. pull_requests_ms sums the time pull
 * requests were in flight (the collections pull side by side, so it can exceed the whole);
 * ledger_fetch_only_ms is the ledger's pages fetched again through the relay, as many rows a page
 * as the kiosk asks for, without storing them. Target: 10 s or less. Run `npm run build` first.
 */
import { parseArgs } from 'node:util';
import { seedDemo, DEMO_SITE_ID } from '../sync/platform/demo-seed';
import { withSyncWrite } from '../sync/platform/database';
import { issueCardFor } from '../sync/platform/issuer-keys';
import { launchChromium } from '../test/support/browser';
import { startTestPlatform } from '../test/support/platform';
import { startTestKioskHost } from '../test/support/kiosk';
import { testCourse } from '../test/support/trusted-sync';
import { MAX_PULL_LIMIT } from '../sync/protocol/replication';

type Counts = Record<'courses' | 'learners' | 'credit_ledger', number>;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { courses: { type: 'string', default: '1000' }, learners: { type: 'string', default: '20000' }, ledger: { type: 'string', default: '50000' } },
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
  const { rows } = await pool.query<Counts>(
    `select (select count(*)::int from courses where not deleted) as courses,
            (select count(*)::int from learners where home_site_id = $1) as learners,
            (select count(*)::int from credit_ledger l where exists (select 1 from learner_sites s where s.learner_id = l.learner_id and s.site_id = $1)) as credit_ledger`,
    [DEMO_SITE_ID],
  );
  const expected = rows[0]!;
  const host = await startTestKioskHost(platform.url, kioskCredential!);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    // Time spent waiting on pull requests (relay and platform queries), the rest is the kiosk storing what came.
    const pulls = { requests: 0, ms: 0 };
    page.on('requestfinished', (request) => {
      if (!request.url().includes('/pull?')) return;
      pulls.requests++;
      pulls.ms += request.timing().responseEnd;
    });
    const started = performance.now();
    await page.goto(host.url);
    let held: Counts = { courses: 0, learners: 0, credit_ledger: 0 };
    const deadline = started + 600_000;
    let withoutLedger: number | null = null;
    while (!(Object.keys(expected) as (keyof Counts)[]).every((c) => held[c] >= expected[c])) {
      if (performance.now() > deadline) throw new Error(`The kiosk holds ${JSON.stringify(held)} of ${JSON.stringify(expected)} after 10 minutes.`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      held = await page.evaluate(countKioskDocuments);
      if (withoutLedger === null && held.courses >= expected.courses && held.learners >= expected.learners) withoutLedger = performance.now() - started;
    }
    const initial_pull_ms = Math.round(performance.now() - started);
    const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    // The same ledger pages fetched through the relay with nothing stored: what the wire and the platform take.
    const fetchStarted = performance.now();
    for (let seq: number | null = 0; seq !== null; ) {
      const answer = (await (await fetch(`${host.url}/sync/credit_ledger/pull?limit=${MAX_PULL_LIMIT}&seq=${seq}`)).json()) as { documents: unknown[]; checkpoint: { seq: number } | null };
      seq = answer.documents.length > 0 ? answer.checkpoint!.seq : null;
    }
    const ledger_fetch_only_ms = Math.round(performance.now() - fetchStarted);
    console.log(
      JSON.stringify({
        bench: 'initial-pull',
        database: platform.databaseUrl ? 'postgresql' : 'pglite',
        ...expected,
        seed_ms,
        initial_pull_ms,
        without_ledger_ms: Math.round(withoutLedger ?? initial_pull_ms),
        pull_requests: pulls.requests,
        pull_requests_ms: Math.round(pulls.ms),
        ledger_fetch_only_ms,
        indexeddb_mb: Math.round((usage / 1_048_576) * 10) / 10,
      }),
    );
  } finally {
    await browser.close();
    await host.close();
    await platform.close();
  }
}

/**
 * Runs in the page: RxDB's Dexie storage keeps each collection in an IndexedDB database named
 * after it; counts the documents of the three big ones, straight from IndexedDB.
 */
async function countKioskDocuments(): Promise<Counts> {
  const counts: Counts = { courses: 0, learners: 0, credit_ledger: 0 };
  for (const { name } of await indexedDB.databases()) {
    const collection = (Object.keys(counts) as (keyof Counts)[]).find((c) => name?.endsWith(`--${c}`));
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
