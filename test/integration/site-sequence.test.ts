import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { attendanceRecordId, type AttendanceRecord } from '../../sync/protocol/attendance-record';
import { lockSyncScope, openDatabase, withScopedSyncWrite, withSyncWrite, withTransaction, type PlatformDatabase } from '../../sync/platform/database';
import { mintKioskCredential } from '../../sync/platform/kiosk-credential';
import { migrateDatabase } from '../../sync/platform/migrate';
import { buildPlatformServer } from '../../sync/platform/server';
import { MAX_WAITING_PUSHES_PER_KIOSK } from '../../sync/platform/kiosk-push-queue';
import { scratchDatabaseUrl } from '../support/platform';

/**
 * Per-site write ordering (migration 1764650000000, docs/check-in-and-sync.md "Write sequence"):
 * pushes at different sites commit side by side, and a pull still never skips a row committed late.
 */

const SITES = ['SQ-A', 'SQ-B', 'SQ-C'];
const LEARNERS_PER_SITE = 30;
/** Held by the test: a push for learner SQ-LATE waits on it after numbering its rows, then commits late. */
const LATE_GATE = 915_001;
const sessionOf = (site: string, n: number) => `00000000-0000-4000-8000-${String(SITES.indexOf(site) * 100 + n).padStart(12, '0')}`;

interface Kiosk {
  id: string;
  siteId: string;
  credential: string;
}

const onPostgres = Boolean(process.env.DATABASE_URL);
let databaseUrl: string | undefined;
let drop: () => Promise<void>;
let database: PlatformDatabase;
let app: FastifyInstance;
let url: string;
const kiosks = new Map<string, Kiosk>();

beforeAll(async () => {
  const scratch = await scratchDatabaseUrl();
  databaseUrl = scratch.url;
  drop = scratch.drop;
  database = await openDatabase({ databaseUrl });
  await migrateDatabase(database.pool);
  const { pool } = database;
  for (const site of SITES) await pool.query('insert into sites (id, name) values ($1, $1)', [site]);
  await withSyncWrite(pool, async (client) => {
    for (const site of SITES) {
      await client.query(
        `insert into learners (id, display_name, home_site_id, server_seq)
         select $1 || '-L' || i, 'learner', $1, next_sync_seq() from generate_series(0, $2::int - 1) as i`,
        [site, LEARNERS_PER_SITE],
      );
      for (let n = 0; n < 20; n++) {
        await client.query(
          `insert into class_sessions (id, site_id, title, starts_at, ends_at, status, server_seq)
           values ($1, $2, 'class', '2026-11-20T06:00:00Z', '2026-11-20T08:00:00Z', 'open', next_sync_seq())`,
          [sessionOf(site, n), site],
        );
      }
    }
    // Lives at A and has been placed at B: A's and B's kiosks both pull their ledger entries.
    await client.query(`insert into learners (id, display_name, home_site_id, server_seq) values ('SQ-LATE', 'late', 'SQ-A', next_sync_seq())`);
    await client.query(`insert into learner_sites (learner_id, site_id) values ('SQ-LATE', 'SQ-B')`);
    // Enough people at B for a flooding kiosk's 500-row batches.
    await client.query(
      `insert into learners (id, display_name, home_site_id, server_seq) select 'SQ-F' || i, 'flood', 'SQ-B', next_sync_seq() from generate_series(0, 499) as i`,
    );
  });
  for (const site of SITES) {
    for (const n of [1, 2, 3]) {
      const id = `${site}-K${n}`;
      const { credential, tokenHash } = mintKioskCredential(id);
      await pool.query(`insert into kiosks (id, site_id, name, token_hash, enrolled_at) values ($1, $2, $1, $3, '2026-01-01T00:00:00Z')`, [id, site, tokenHash]);
      kiosks.set(id, { id, siteId: site, credential });
    }
  }
  // A stand-in for a transaction that stalls after it numbered its rows (a slow disk, a long trigger).
  await pool.query(`
    create function sq_late_gate() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_lock_shared(${LATE_GATE});
      perform pg_advisory_unlock_shared(${LATE_GATE});
      return null;
    end $$;
    create trigger sq_late_gate after insert on credit_ledger for each row when (new.learner_id = 'SQ-LATE') execute function sq_late_gate();
  `);
  app = await buildPlatformServer({ database });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await database?.close();
  await drop?.();
});

function checkIns(kiosk: Kiosk, session: number, learners: string[]): AttendanceRecord[] {
  return learners.map((learnerId) => ({
    id: attendanceRecordId(sessionOf(kiosk.siteId, session), learnerId),
    classSessionId: sessionOf(kiosk.siteId, session),
    learnerId,
    siteId: kiosk.siteId,
    kioskId: kiosk.id,
    method: 'manual' as const,
    onRoster: true,
    deviceTime: '2026-11-20T06:05:00.000Z',
    _deleted: false,
  }));
}

const learnersOf = (site: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${site}-L${from + i}`);

async function push(kiosk: Kiosk, docs: AttendanceRecord[]): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/sync/attendance/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${kiosk.credential}`, 'content-type': 'application/json' },
    body: JSON.stringify(docs.map((d) => ({ newDocumentState: d, assumedMasterState: null }))),
  });
  return { status: response.status, body: await response.json() };
}

interface Page {
  documents: { id: string; serverSeq: number }[];
  checkpoint: { seq: number } | null;
}

async function pull(kiosk: Kiosk, collection: string, seq: number, limit = 50): Promise<Page> {
  const response = await fetch(`${url}/sync/${collection}/pull?seq=${seq}&limit=${limit}`, { headers: { authorization: `Bearer ${kiosk.credential}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

/** A kiosk's incremental pulls: what it holds, and its checkpoint, as RxDB keeps them. */
class Follower {
  readonly held = new Set<string>();
  seq = 0;
  constructor(
    readonly kiosk: Kiosk,
    readonly collection: string,
  ) {}
  async catchUp(): Promise<void> {
    for (;;) {
      const page = await pull(this.kiosk, this.collection, this.seq);
      for (const doc of page.documents) this.held.add(doc.id);
      if (page.checkpoint) this.seq = page.checkpoint.seq;
      if (page.documents.length === 0) return;
    }
  }
}

async function pullAll(kiosk: Kiosk, collection: string): Promise<Set<string>> {
  const fresh = new Follower(kiosk, collection);
  await fresh.catchUp();
  return fresh.held;
}

/** Resolves once some backend waits on the late gate, i.e. the late push has numbered its rows. */
async function lateGateWaiting(pool: pg.ClientBase): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const { rows } = await pool.query(`select 1 from pg_locks where locktype = 'advisory' and objid = $1 and not granted`, [LATE_GATE]);
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the late push never reached the gate');
}

describe('per-site write ordering', () => {
  it('numbers a row only under the locks of the sites and learners that pull it', async () => {
    const { pool } = database;
    await expect(withTransaction(pool, (c) => c.query(`select next_sync_seq('SQ-A')`))).rejects.toThrow(/sync write lock/);
    await expect(withTransaction(pool, (c) => c.query(`select next_learner_sync_seq('SQ-A-L0')`))).rejects.toThrow(/sync write lock/);
    await expect(withTransaction(pool, (c) => lockSyncScope(c, { sites: ['SQ-A'] }))).rejects.toThrow(/without the sync write lock/);
    await expect(
      withScopedSyncWrite(pool, async (c) => {
        await lockSyncScope(c, { sites: ['SQ-A'], learners: ['SQ-A-L0'] });
        return c.query(`select next_sync_seq('SQ-B')`);
      }),
    ).rejects.toThrow(/next_sync_seq\(SQ-B\) called without that site's sync write lock/);
    await expect(
      withScopedSyncWrite(pool, async (c) => {
        await lockSyncScope(c, { sites: ['SQ-A'], learners: ['SQ-A-L0'] });
        return c.query(`select next_learner_sync_seq('SQ-A-L1')`);
      }),
    ).rejects.toThrow(/without that learner's sync write lock/);
    // A push may not take a row every kiosk pulls, nor take its locks in two goes (that could deadlock).
    await expect(
      withScopedSyncWrite(pool, async (c) => {
        await lockSyncScope(c, { sites: ['SQ-A'] });
        return c.query(`select next_sync_seq()`);
      }),
    ).rejects.toThrow(/sync write lock/);
    await expect(
      withScopedSyncWrite(pool, async (c) => {
        await lockSyncScope(c, { sites: ['SQ-A'] });
        await lockSyncScope(c, { sites: ['SQ-B'] });
      }),
    ).rejects.toThrow(/called twice/);
    const { rows } = await withScopedSyncWrite(pool, async (c) => {
      await lockSyncScope(c, { sites: ['SQ-A'], learners: ['SQ-B-L0'] });
      // SQ-B-L0 lives at B, so B was locked for them too.
      return c.query<{ a: string; b: string; l: string }>(`select next_sync_seq('SQ-A') as a, next_sync_seq('SQ-B') as b, next_learner_sync_seq('SQ-B-L0') as l`);
    });
    expect(Number(rows[0]!.l)).toBeGreaterThan(Number(rows[0]!.a));
    // The exclusive lock covers every site and learner, so pushes run unchanged inside withSyncWrite.
    await withSyncWrite(pool, async (c) => {
      await lockSyncScope(c, { sites: ['SQ-A'] });
      await c.query(`select next_sync_seq('SQ-C'), next_learner_sync_seq('anyone'), next_sync_seq()`);
    });
  });

  it.skipIf(!onPostgres)(
    'pushes at two sites commit side by side; a transaction that commits late is never skipped by any pull',
    async () => {
      const k = (id: string) => kiosks.get(id)!;
      const followers = ['SQ-A-K3', 'SQ-B-K3', 'SQ-C-K3'].flatMap((id) => ['attendance', 'credit_ledger', 'learners'].map((c) => new Follower(k(id), c)));
      for (const f of followers) await f.catchUp();
      const gate = new pg.Client({ connectionString: databaseUrl });
      await gate.connect();
      try {
        await gate.query('select pg_advisory_lock($1)', [LATE_GATE]);
        // Numbers its attendance row and SQ-LATE's ledger entry, then stalls before commit.
        const late = push(k('SQ-A-K1'), checkIns(k('SQ-A-K1'), 0, ['SQ-LATE', ...learnersOf('SQ-A', 0, 5)]));
        await lateGateWaiting(gate);
        let sameSiteDone = false;
        let placedSiteDone = false;
        // Another kiosk at A, and one at B (where SQ-LATE is placed, so its kiosks pull that ledger entry): both must wait.
        const sameSite = push(k('SQ-A-K2'), checkIns(k('SQ-A-K2'), 1, learnersOf('SQ-A', 5, 15))).then((r) => ((sameSiteDone = true), r));
        const placedSite = push(k('SQ-B-K1'), checkIns(k('SQ-B-K1'), 0, learnersOf('SQ-B', 0, 10))).then((r) => ((placedSiteDone = true), r));
        // Site C shares nothing with the late push: its pushes commit while it is still open, with higher numbers.
        for (let n = 0; n < 3; n++) {
          const answer = await push(k('SQ-C-K1'), checkIns(k('SQ-C-K1'), n, learnersOf('SQ-C', n * 10, n * 10 + 10)));
          expect(answer.status).toBe(200);
        }
        for (const f of followers) await f.catchUp();
        expect(sameSiteDone).toBe(false);
        expect(placedSiteDone).toBe(false);
        const waitingSeq = await database.pool.query<{ n: string }>(`select count(*) as n from attendance where site_id = 'SQ-C'`);
        expect(Number(waitingSeq.rows[0]!.n)).toBe(30);
        await gate.query('select pg_advisory_unlock($1)', [LATE_GATE]);
        expect((await late).status).toBe(200);
        expect((await sameSite).status).toBe(200);
        expect((await placedSite).status).toBe(200);
      } finally {
        await gate.end();
      }
      for (const f of followers) await f.catchUp();
      // What each kiosk holds after pulling incrementally throughout equals a pull from scratch.
      for (const f of followers) {
        const everything = await pullAll(f.kiosk, f.collection);
        expect([...f.held].sort(), `${f.kiosk.id} ${f.collection}`).toEqual([...everything].sort());
      }
      const ledgerAtB = followers.find((f) => f.kiosk.id === 'SQ-B-K3' && f.collection === 'credit_ledger')!;
      const { rows } = await database.pool.query<{ id: string }>(`select id from credit_ledger where learner_id = 'SQ-LATE'`);
      expect(rows).toHaveLength(1);
      expect(ledgerAtB.held.has(rows[0]!.id)).toBe(true);
    },
    120_000,
  );

  it('serves a pull whose checkpoint is ahead of every issued number from the start, losing nothing', async () => {
    const kiosk = kiosks.get('SQ-C-K2')!;
    const answer = await push(kiosk, checkIns(kiosk, 10, learnersOf('SQ-C', 0, 3)));
    expect(answer.status).toBe(200);
    const everything = await pullAll(kiosk, 'attendance');
    expect(everything.size).toBeGreaterThanOrEqual(3);
    const { rows } = await database.pool.query<{ last: string }>('select last_value as last from sync_seq');
    const future = Number(rows[0]!.last) + 1_000_000;
    const follower = new Follower(kiosk, 'attendance');
    follower.seq = future;
    await follower.catchUp();
    expect([...follower.held].sort()).toEqual([...everything].sort());
    expect(follower.seq).toBeLessThanOrEqual(Number(rows[0]!.last));
    // A checkpoint at the present is not from the future: nothing again, and it stays put.
    const atEnd = await pull(kiosk, 'attendance', follower.seq);
    expect(atEnd.documents).toEqual([]);
    expect(atEnd.checkpoint).toEqual({ seq: follower.seq });
  });

  it.skipIf(!onPostgres)(
    'a kiosk flooding 500-row batches holds one connection, so another kiosk of its site is not starved',
    async () => {
      const flooder = kiosks.get('SQ-B-K2')!;
      const other = kiosks.get('SQ-B-K3')!;
      const floodLearners = Array.from({ length: 500 }, (_, i) => `SQ-F${i}`);
      // The first batch stalls inside its transaction (SQ-LATE's ledger entry waits on the gate).
      const floodBatches = [2, 3, 4, 5, 6, 7, 8, 9].map((session, i) =>
        checkIns(flooder, session, i === 0 ? ['SQ-LATE', ...floodLearners.slice(1)] : floodLearners),
      );
      const gate = new pg.Client({ connectionString: databaseUrl });
      await gate.connect();
      const finished: string[] = [];
      try {
        await gate.query('select pg_advisory_lock($1)', [LATE_GATE]);
        const floods = floodBatches.map((docs, i) => push(flooder, docs).then((r) => (finished.push(`flood-${i}`), r)));
        await lateGateWaiting(gate);
        // Time for every flood batch to reach the platform: were they all let through, they would
        // hold every pooled connection and the other kiosk would queue behind all of them.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const mine = push(other, checkIns(other, 19, learnersOf('SQ-B', 10, 12))).then((r) => (finished.push('other'), r));
        await new Promise((resolve) => setTimeout(resolve, 200));
        await gate.query('select pg_advisory_unlock($1)', [LATE_GATE]);
        for (const answer of await Promise.all([...floods, mine])) expect(answer.status).toBe(200);
      } finally {
        await gate.end();
      }
      // The other kiosk waits only for the flooder's running batch (it holds their site's lock). Let
      // through all at once, the flooder's batches held the pool and it came third or later.
      expect(finished.indexOf('other'), finished.join(' ')).toBe(1);
    },
    120_000,
  );

  it(`answers a kiosk with more than ${MAX_WAITING_PUSHES_PER_KIOSK} pushes waiting with 429, storing exactly what it answered 200`, async () => {
    const kiosk = kiosks.get('SQ-A-K3')!;
    const docsFor = (i: number) => checkIns(kiosk, 12 + (i % 8), learnersOf('SQ-A', 20 + Math.floor(i / 8) * 5, 25 + Math.floor(i / 8) * 5));
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => push(kiosk, docsFor(i)).then((r) => ({ i, ...r }))));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect((refused[0]!.body as { message: string }).message).toMatch(new RegExp(`Kiosk ${kiosk.id} already has ${MAX_WAITING_PUSHES_PER_KIOSK} pushes waiting`));
    const storedIds = new Set((await database.pool.query<{ id: string }>(`select id from attendance where kiosk_id = $1`, [kiosk.id])).rows.map((r) => r.id));
    for (const a of answers) {
      for (const doc of docsFor(a.i)) expect(storedIds.has(doc.id), `${a.status} ${doc.id}`).toBe(a.status === 200);
    }
    // The kiosk retries what was refused: all of it is stored, once.
    for (const a of refused) expect((await push(kiosk, docsFor(a.i))).status).toBe(200);
    const { rows } = await database.pool.query<{ n: string; ledger: string }>(
      `select count(*) as n, (select count(*) from credit_ledger l join attendance a on a.id = l.source_id where a.kiosk_id = $1) as ledger from attendance where kiosk_id = $1`,
      [kiosk.id],
    );
    expect(Number(rows[0]!.n)).toBe(16 * 5);
    expect(Number(rows[0]!.ledger)).toBe(16 * 5);
  }, 120_000);

  it.skipIf(!onPostgres)(
    'a database restart mid-ingest: the kiosk retries, nothing is lost, nothing is stored twice',
    async () => {
      const kiosk = kiosks.get('SQ-C-K3')!;
      const batches = [0, 1, 2, 3].map((b) => checkIns(kiosk, 15 + b, learnersOf('SQ-C', 0, 20).concat(b === 0 ? ['SQ-LATE'] : [])));
      const gate = new pg.Client({ connectionString: databaseUrl });
      await gate.connect();
      await gate.query('select pg_advisory_lock($1)', [LATE_GATE]);
      // The first batch stalls inside its transaction; the others queue behind it (one push per kiosk at a time).
      const first = batches.map((docs) => push(kiosk, docs));
      await lateGateWaiting(gate);
      // Every backend of this database but the test's own goes, as in a restart.
      await gate.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
      await gate.end();
      const answers = await Promise.all(first);
      expect(answers[0]!.status).toBe(500);
      // The kiosk sends again everything not answered 200, until all are.
      for (let round = 0; round < 5; round++) {
        const pending = batches.filter((_, i) => answers[i]!.status !== 200);
        if (pending.length === 0) break;
        for (const [i, docs] of batches.entries()) if (answers[i]!.status !== 200) answers[i] = await push(kiosk, docs);
      }
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      const ids = batches.flat().map((d) => d.id);
      const { rows } = await database.pool.query<{ n: string; distinct_n: string; ledger: string }>(
        `select count(*) as n, count(distinct id) as distinct_n,
                (select count(*) from credit_ledger where source_id = any($1::uuid[])) as ledger
           from attendance where id = any($1::uuid[])`,
        [ids],
      );
      expect(rows[0]).toEqual({ n: String(ids.length), distinct_n: String(ids.length), ledger: String(ids.length) });
    },
    120_000,
  );
});
