/**
 * `npm run bench -- sync [--records 100000] [--kiosks 200] [--sites 20] [--batch 100] [--concurrency 32]`
 *
 * Simulated kiosks push attendance over real HTTP to one platform instance, in batches as RxDB
 * would after coming back online. Runs on PGlite, then on PostgreSQL when DATABASE_URL is set
 * (in a scratch database dropped afterwards). Prints one JSON line per database.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { attendanceRecordId, type AttendanceRecord } from '../sync/protocol/attendance-record';
import { openDatabase, withSyncWrite, type PlatformDatabase } from '../sync/platform/database';
import { mintKioskCredential } from '../sync/platform/kiosk-credential';
import { migrateDatabase } from '../sync/platform/migrate';
import { buildPlatformServer } from '../sync/platform/server';

interface BenchOptions {
  records: number;
  kiosks: number;
  sites: number;
  batch: number;
  concurrency: number;
}

interface SimulatedKiosk {
  id: string;
  siteId: string;
  credential: string;
  sessionId: string;
}

function options(args: string[]): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      records: { type: 'string', default: '100000' },
      kiosks: { type: 'string', default: '200' },
      sites: { type: 'string', default: '20' },
      batch: { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '32' },
    },
  });
  return {
    records: Number(values.records),
    kiosks: Number(values.kiosks),
    sites: Number(values.sites),
    batch: Number(values.batch),
    concurrency: Number(values.concurrency),
  };
}

/** Sites, enrolled kiosks and one class session per kiosk, written directly: setup is not measured. */
async function seed(pool: pg.Pool, opts: BenchOptions): Promise<SimulatedKiosk[]> {
  const kiosks: SimulatedKiosk[] = [];
  const sites = Array.from({ length: opts.sites }, (_, i) => ({ id: `BENCH-SITE-${i}`, name: `Bench site ${i}` }));
  await pool.query(`insert into sites (id, name) select id, name from jsonb_to_recordset($1::jsonb) as s(id text, name text)`, [JSON.stringify(sites)]);
  const kioskRows = [];
  const sessionRows: { id: string; site_id: string; title: string; starts_at: string; ends_at: string }[] = [];
  for (let k = 0; k < opts.kiosks; k++) {
    const id = `BENCH-KIOSK-${k}`;
    const siteId = sites[k % sites.length]!.id;
    const { credential, tokenHash } = mintKioskCredential(id);
    const sessionId = randomUUID();
    kiosks.push({ id, siteId, credential, sessionId });
    kioskRows.push({ id, site_id: siteId, name: id, token_hash: tokenHash });
    sessionRows.push({ id: sessionId, site_id: siteId, title: `Bench class ${k}`, starts_at: '2026-11-20T06:00:00Z', ends_at: '2026-11-20T08:00:00Z' });
  }
  await pool.query(
    `insert into kiosks (id, site_id, name, token_hash)
     select id, site_id, name, token_hash from jsonb_to_recordset($1::jsonb) as k(id text, site_id text, name text, token_hash text)`,
    [JSON.stringify(kioskRows)],
  );
  await withSyncWrite(pool, (client) =>
    client.query(
      `insert into class_sessions (id, site_id, title, starts_at, ends_at, status, server_seq)
       select id, site_id, title, starts_at, ends_at, 'open', next_sync_seq()
         from jsonb_to_recordset($1::jsonb) as s(id uuid, site_id text, title text, starts_at timestamptz, ends_at timestamptz)`,
      [JSON.stringify(sessionRows)],
    ),
  );
  return kiosks;
}

function batchesFor(kiosk: SimulatedKiosk, index: number, perKiosk: number, batch: number): AttendanceRecord[][] {
  const docs: AttendanceRecord[] = Array.from({ length: perKiosk }, (_, i) => {
    const learnerId = `L${index}-${i}`;
    return {
      id: attendanceRecordId(kiosk.sessionId, learnerId),
      classSessionId: kiosk.sessionId,
      learnerId,
      siteId: kiosk.siteId,
      kioskId: kiosk.id,
      method: 'scanner',
      onRoster: true,
      deviceTime: '2026-11-20T06:05:00.000Z',
      _deleted: false,
    };
  });
  const batches: AttendanceRecord[][] = [];
  for (let i = 0; i < docs.length; i += batch) batches.push(docs.slice(i, i + batch));
  return batches;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function benchOne(database: PlatformDatabase, opts: BenchOptions): Promise<Record<string, unknown>> {
  await migrateDatabase(database.pool);
  const kiosks = await seed(database.pool, opts);
  const app = await buildPlatformServer({ database });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const perKiosk = Math.floor(opts.records / opts.kiosks);
    // Interleave kiosks so concurrent pushes come from different kiosks, as in the field.
    const queues = kiosks.map((k, i) => batchesFor(k, i, perKiosk, opts.batch).map((docs) => ({ kiosk: k, docs })));
    const pushes: { kiosk: SimulatedKiosk; docs: AttendanceRecord[] }[] = [];
    for (let round = 0; queues.some((q) => q.length > round); round++) {
      for (const queue of queues) if (queue[round]) pushes.push(queue[round]!);
    }
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    async function worker() {
      while (next < pushes.length) {
        const { kiosk, docs } = pushes[next++]!;
        const t0 = performance.now();
        const response = await fetch(`${url}/sync/attendance/push`, {
          method: 'POST',
          headers: { authorization: `Bearer ${kiosk.credential}`, 'content-type': 'application/json' },
          body: JSON.stringify(docs.map((d) => ({ newDocumentState: d, assumedMasterState: null }))),
        });
        const conflicts = (await response.json()) as unknown[];
        if (response.status !== 200 || conflicts.length > 0) throw new Error(`push failed: ${response.status} ${JSON.stringify(conflicts).slice(0, 200)}`);
        latencies.push(performance.now() - t0);
      }
    }
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await database.pool.query<{ attendance: string; ledger: string }>(
      'select (select count(*) from attendance) as attendance, (select count(*) from credit_ledger) as ledger',
    );
    const stored = Number(rows[0]!.attendance);
    latencies.sort((a, b) => a - b);
    return {
      bench: 'sync',
      db: database.kind,
      kiosks: opts.kiosks,
      sites: opts.sites,
      records: stored,
      ledger_entries: Number(rows[0]!.ledger),
      batch: opts.batch,
      concurrency: opts.concurrency,
      seconds: Math.round(seconds * 100) / 100,
      ingest_records_per_s: Math.round(stored / seconds),
      push_p50_ms: Math.round(percentile(latencies, 50) * 10) / 10,
      push_p95_ms: Math.round(percentile(latencies, 95) * 10) / 10,
      push_p99_ms: Math.round(percentile(latencies, 99) * 10) / 10,
    };
  } finally {
    await app.close();
  }
}

async function onScratchPostgres<T>(base: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `yx_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  try {
    const url = new URL(base);
    url.pathname = `/${name}`;
    return await fn(url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

export async function run(args: string[]): Promise<void> {
  const opts = options(args);
  const lite = await openDatabase({});
  try {
    console.log(JSON.stringify(await benchOne(lite, opts)));
  } finally {
    await lite.close();
  }
  const base = process.env.DATABASE_URL;
  if (!base) return;
  await onScratchPostgres(base, async (url) => {
    const database = await openDatabase({ databaseUrl: url });
    try {
      console.log(JSON.stringify(await benchOne(database, opts)));
    } finally {
      await database.close();
    }
  });
}
