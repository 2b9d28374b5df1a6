import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { attendanceRecordId, type AttendanceRecord } from '../../sync/protocol/attendance-record';
import { openDatabase, withSyncWrite, type PlatformDatabase } from '../../sync/platform/database';
import { mintKioskCredential } from '../../sync/platform/kiosk-credential';
import { migrateDatabase } from '../../sync/platform/migrate';
import { buildPlatformServer } from '../../sync/platform/server';
import { scratchDatabaseUrl } from '../support/platform';

const SITES = ['SO-A', 'SO-B'];
const KIOSKS_PER_SITE = 2;
const LEARNERS = 12;

/** Fixed ids, so two runs on two databases can be compared row for row. */
const sessionIds = SITES.flatMap((_, s) => [0, 1, 2].map((n) => `00000000-0000-4000-8000-${String(s * 10 + n).padStart(12, '0')}`));

interface Kiosk {
  id: string;
  siteId: string;
  credential: string;
}

async function seed(database: PlatformDatabase): Promise<Kiosk[]> {
  const { pool } = database;
  const kiosks: Kiosk[] = [];
  for (const [s, siteId] of SITES.entries()) {
    await pool.query('insert into sites (id, name) values ($1, $1)', [siteId]);
    for (let n = 0; n < 3; n++) {
      // Three two-hour classes a day reach the six-hour cap exactly, so no entry depends on arrival order.
      await withSyncWrite(pool, (client) =>
        client.query(
          `insert into class_sessions (id, site_id, title, starts_at, ends_at, status, server_seq)
           values ($1, $2, 'class', $3, $4, 'open', next_sync_seq())`,
          [sessionIds[s * 3 + n], siteId, `2026-11-20T0${n * 2}:00:00Z`, `2026-11-20T0${n * 2 + 2}:00:00Z`],
        ),
      );
    }
    for (let k = 0; k < KIOSKS_PER_SITE; k++) {
      const id = `${siteId}-K${k}`;
      const { credential, tokenHash } = mintKioskCredential(id);
      await pool.query('insert into kiosks (id, site_id, name, token_hash) values ($1, $2, $1, $3)', [id, siteId, tokenHash]);
      kiosks.push({ id, siteId, credential });
    }
  }
  return kiosks;
}

/**
 * Every kiosk checks in every learner at every class of its site: both kiosks of a site overlap
 * fully. With shared learners the same people attend at both sites, twelve hours capped at six.
 */
function batchesFor(kiosk: Kiosk, sharedLearners: boolean): AttendanceRecord[][] {
  const s = SITES.indexOf(kiosk.siteId);
  const prefix = sharedLearners ? 'SO-L' : `SO-L${s}-`;
  return sessionIds.slice(s * 3, s * 3 + 3).map((sessionId) =>
    Array.from({ length: LEARNERS }, (_, l) => ({
      id: attendanceRecordId(sessionId, `${prefix}${l}`),
      classSessionId: sessionId,
      learnerId: `${prefix}${l}`,
      siteId: kiosk.siteId,
      kioskId: kiosk.id,
      method: 'scanner' as const,
      onRoster: true,
      deviceTime: '2026-11-20T00:05:00.000Z',
      _deleted: false,
    })),
  );
}

async function push(url: string, kiosk: Kiosk, docs: AttendanceRecord[]): Promise<void> {
  const response = await fetch(`${url}/sync/attendance/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${kiosk.credential}`, 'content-type': 'application/json' },
    body: JSON.stringify(docs.map((d) => ({ newDocumentState: d }))),
  });
  expect(response.status).toBe(200);
}

async function snapshot(database: PlatformDatabase) {
  const attendance = await database.pool.query(`select id, class_session_id, learner_id, site_id from attendance order by id`);
  const ledger = await database.pool.query(
    `select id, learner_id, source_id, hours::text, credits::text, status, to_char(earned_on, 'YYYY-MM-DD') as earned_on from credit_ledger order by id`,
  );
  const seqs = await database.pool.query<{ n: string; distinct_n: string }>(
    `select count(*) as n, count(distinct server_seq) as distinct_n from (select server_seq from attendance union all select server_seq from credit_ledger) s`,
  );
  return { attendance: attendance.rows, ledger: ledger.rows, seqsUnique: seqs.rows[0]!.n === seqs.rows[0]!.distinct_n };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `instances` platform servers on one database (separate pools on PostgreSQL, as separate hosts would have). */
async function runWith(instances: number, sharedLearners = false) {
  const scratch = await scratchDatabaseUrl();
  cleanups.push(() => scratch.drop());
  const first = await openDatabase({ databaseUrl: scratch.url });
  cleanups.push(() => first.close());
  await migrateDatabase(first.pool);
  const kiosks = await seed(first);
  const servers: { app: FastifyInstance; url: string }[] = [];
  for (let i = 0; i < instances; i++) {
    const database = i === 0 || !scratch.url ? first : await openDatabase({ databaseUrl: scratch.url });
    if (database !== first) cleanups.push(() => database.close());
    const app = await buildPlatformServer({ database });
    cleanups.push(() => app.close());
    servers.push({ app, url: await app.listen({ host: '127.0.0.1', port: 0 }) });
  }
  // Each batch goes to every instance at once, like a kiosk retrying through a load balancer.
  await Promise.all(kiosks.flatMap((kiosk) => batchesFor(kiosk, sharedLearners).flatMap((docs) => servers.map((s) => push(s.url, kiosk, docs)))));
  return snapshot(first);
}

describe('scale-out', () => {
  it('two platform instances on one database store exactly what one instance stores', async () => {
    const single = await runWith(1);
    const double = await runWith(2);
    expect(single.attendance).toHaveLength(SITES.length * 3 * LEARNERS);
    expect(single.ledger).toHaveLength(SITES.length * 3 * LEARNERS);
    expect(double.attendance).toEqual(single.attendance);
    expect(double.ledger).toEqual(single.ledger);
    expect(double.seqsUnique).toBe(true);
  });

  it('keeps a learner at the daily cap when the cap is reached from two sites through two instances', async () => {
    const double = await runWith(2, true);
    const perLearner = new Map<string, number>();
    for (const row of double.ledger as { learner_id: string; hours: string }[]) {
      perLearner.set(row.learner_id, (perLearner.get(row.learner_id) ?? 0) + Number(row.hours));
    }
    expect(perLearner.size).toBe(LEARNERS);
    expect([...perLearner.values()].every((hours) => hours === 6)).toBe(true);
  });
});
