/**
 * `npm run bench -- sync [--records 100000] [--kiosks 200] [--sites 20] [--batch 100] [--concurrency 32]
 *                       [--flood-batch 500] [--flood-concurrency 4] [--pglite] [--locking global|scoped]
 *                       [--cpu-profile FILE] [--partitions N]`
 *
 * Simulated kiosks push attendance over real HTTP to one platform instance, in batches as RxDB
 * would after coming back online. On PostgreSQL (DATABASE_URL; each run in a scratch database
 * dropped afterwards) it runs twice, once per push locking scheme: 'global' (one exclusive lock,
 * the scheme before migration 1764650000000) and 'scoped' (site and learner locks), and prints a
 * line per scheme and one line with both side by side. On PGlite (no DATABASE_URL, or --pglite)
 * it runs the scoped scheme only: PGlite has one backend, so there is nothing to run in parallel.
 *
 * Each run then measures fairness: kiosk 0 pushes 500-row batches in a tight loop (several at
 * once) while every other kiosk pushes a second class's check-ins; flood_other_push_p95_ms is
 * what the others saw meanwhile.
 *
 * --partitions N runs the operator's partition step (`platform:admin -- partition-tables`) on the
 * migrated database before seeding, so the same pushes land in hash-partitioned tables.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { attendanceRecordId, type AttendanceRecord } from '../sync/protocol/attendance-record';
import { openDatabase, withSyncWrite, type PlatformDatabase, type SyncWriteLocking } from '../sync/platform/database';
import { mintKioskCredential } from '../sync/platform/kiosk-credential';
import { migrateDatabase } from '../sync/platform/migrate';
import { partitionTables } from '../sync/platform/partition-tables';
import { buildPlatformServer } from '../sync/platform/server';

interface BenchOptions {
  records: number;
  kiosks: number;
  sites: number;
  batch: number;
  concurrency: number;
  floodBatch: number;
  floodConcurrency: number;
  pglite: boolean;
  /** One scheme only (quicker, for profiling); both by default. */
  locking: SyncWriteLocking | undefined;
  /** Writes a V8 CPU profile of this process over the timed pushes (platform and simulated kiosks). */
  cpuProfile: string | undefined;
  /** Partition the large tables into this many partitions first; undefined keeps plain tables. */
  partitions: number | undefined;
}

interface SimulatedKiosk {
  id: string;
  siteId: string;
  credential: string;
  sessionId: string;
  /** A second class, checked into while kiosk 0 floods. */
  laterSessionId: string;
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
      'flood-batch': { type: 'string', default: '500' },
      'flood-concurrency': { type: 'string', default: '4' },
      pglite: { type: 'boolean', default: false },
      locking: { type: 'string' },
      'cpu-profile': { type: 'string' },
      partitions: { type: 'string' },
    },
  });
  return {
    records: Number(values.records),
    kiosks: Number(values.kiosks),
    sites: Number(values.sites),
    batch: Number(values.batch),
    concurrency: Number(values.concurrency),
    floodBatch: Number(values['flood-batch']),
    floodConcurrency: Number(values['flood-concurrency']),
    pglite: values.pglite,
    locking: values.locking === 'global' || values.locking === 'scoped' ? values.locking : undefined,
    cpuProfile: values['cpu-profile'],
    partitions: values.partitions === undefined ? undefined : Number(values.partitions),
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
    const laterSessionId = randomUUID();
    kiosks.push({ id, siteId, credential, sessionId, laterSessionId });
    kioskRows.push({ id, site_id: siteId, name: id, token_hash: tokenHash });
    sessionRows.push({ id: sessionId, site_id: siteId, title: `Bench class ${k}`, starts_at: '2026-11-20T06:00:00Z', ends_at: '2026-11-20T08:00:00Z' });
    sessionRows.push({ id: laterSessionId, site_id: siteId, title: `Bench later class ${k}`, starts_at: '2026-11-21T06:00:00Z', ends_at: '2026-11-21T08:00:00Z' });
  }
  // The flooding kiosk's supply: fresh check-ins, one class after another, never replays.
  for (let i = 0; i < FLOOD_SESSIONS; i++) {
    sessionRows.push({ id: floodSessionId(i), site_id: kiosks[0]!.siteId, title: `Flood class ${i}`, starts_at: '2026-11-22T06:00:00Z', ends_at: '2026-11-22T08:00:00Z' });
  }
  await pool.query(
    `insert into kiosks (id, site_id, name, token_hash, enrolled_at)
     select id, site_id, name, token_hash, '2026-01-01T00:00:00Z' from jsonb_to_recordset($1::jsonb) as k(id text, site_id text, name text, token_hash text)`,
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
  // The learners the kiosks check in: the platform credits only learners it has. Each lives at
  // its kiosk's site, as the learner import requires (home_site_id), so a check-in is a visit to
  // a site the learner is already placed at, not the first visit that widens their scope.
  const perKiosk = Math.floor(opts.records / opts.kiosks);
  const learners = kiosks.flatMap((kiosk, k) => Array.from({ length: perKiosk }, (_, i) => ({ id: `L${k}-${i}`, site: kiosk.siteId })));
  learners.push(...Array.from({ length: opts.floodBatch }, (_, i) => ({ id: `FLOOD-${i}`, site: kiosks[0]!.siteId })));
  await withSyncWrite(pool, (client) =>
    client.query(
      `insert into learners (id, display_name, home_site_id, server_seq)
       select id, id, site, next_sync_seq() from jsonb_to_recordset($1::jsonb) as l(id text, site text)`,
      [JSON.stringify(learners)],
    ),
  );
  await seedHistory(pool, kiosks, perKiosk);
  return kiosks;
}

/**
 * The evening the bench models is kiosks coming back to a platform that has been running: each
 * learner already attended a class a week earlier, with its ledger entry, and the tables have
 * been analysed. On empty tables PostgreSQL would plan (and, for prepared statements, keep)
 * sequential scans that a running platform never sees.
 */
async function seedHistory(pool: pg.Pool, kiosks: SimulatedKiosk[], perKiosk: number): Promise<void> {
  const earlier = kiosks.map((kiosk, k) => ({ session: randomUUID(), site: kiosk.siteId, kiosk: kiosk.id, k }));
  await withSyncWrite(pool, async (client) => {
    await client.query(
      `insert into class_sessions (id, site_id, title, starts_at, ends_at, status, server_seq)
       select session, site, 'Bench earlier class', '2026-11-13T06:00:00Z', '2026-11-13T08:00:00Z', 'closed', next_sync_seq()
         from jsonb_to_recordset($1::jsonb) as e(session uuid, site text)`,
      [JSON.stringify(earlier)],
    );
    await client.query(
      `with visits as (
         select gen_random_uuid() as id, e.session, 'L' || e.k || '-' || i as learner, e.site, e.kiosk
           from jsonb_to_recordset($1::jsonb) as e(session uuid, site text, kiosk text, k int), generate_series(0, $2::int - 1) as i
       ), stored as (
         insert into attendance (id, class_session_id, learner_id, claimed_learner_id, site_id, kiosk_id, method, on_roster, device_time, server_seq, credit_seq)
         select id, session, learner, learner, site, kiosk, 'manual', true, '2026-11-13T06:05:00Z', next_sync_seq(), currval('sync_seq') from visits
         returning id, learner_id
       )
       insert into credit_ledger (id, learner_id, source_type, source_id, hours, credits, earned_on, server_seq)
       select gen_random_uuid(), learner_id, 'attendance', id, 2, 0.2, '2026-11-13', next_sync_seq() from stored`,
      [JSON.stringify(earlier), perKiosk],
    );
  });
  await pool.query('analyze');
}

const FLOOD_SESSIONS = 60;

function floodSessionId(i: number): string {
  return `0193a7c4-f100-7000-8000-${String(i).padStart(12, '0')}`;
}

function checkIn(kiosk: SimulatedKiosk, sessionId: string, learnerId: string, deviceTime: string): AttendanceRecord {
  return {
    id: attendanceRecordId(sessionId, learnerId),
    classSessionId: sessionId,
    learnerId,
    siteId: kiosk.siteId,
    kioskId: kiosk.id,
    method: 'manual',
    onRoster: true,
    deviceTime,
    _deleted: false,
  };
}

function batchesFor(kiosk: SimulatedKiosk, index: number, perKiosk: number, batch: number, sessionId = kiosk.sessionId): AttendanceRecord[][] {
  const deviceTime = sessionId === kiosk.sessionId ? '2026-11-20T06:05:00.000Z' : '2026-11-21T06:05:00.000Z';
  const docs: AttendanceRecord[] = Array.from({ length: perKiosk }, (_, i) => checkIn(kiosk, sessionId, `L${index}-${i}`, deviceTime));
  const batches: AttendanceRecord[][] = [];
  for (let i = 0; i < docs.length; i += batch) batches.push(docs.slice(i, i + batch));
  return batches;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

interface Push {
  kiosk: SimulatedKiosk;
  count: number;
  /** Serialised before the clock starts: the kiosks are other machines, their work is not the platform's. */
  body: string;
}

function pushOf(kiosk: SimulatedKiosk, docs: AttendanceRecord[]): Push {
  return { kiosk, count: docs.length, body: JSON.stringify(docs.map((d) => ({ newDocumentState: d, assumedMasterState: null }))) };
}

/**
 * The simulated kiosks post with node:http on kept-alive sockets rather than fetch: they stand in
 * for other machines, and fetch's web streams cost this process (which also runs the platform)
 * several times what the request itself does.
 */
const kioskAgent = new Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, credential: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent: kioskAgent,
      headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    req.on('error', reject);
    req.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    req.end(body);
  });
}

async function push(url: string, { kiosk, count, body }: Push): Promise<number> {
  const t0 = performance.now();
  const response = await post(`${url}/sync/attendance/push`, kiosk.credential, body);
  // Every row is answered with the stored record; one held or refused means the bench is measuring the wrong thing.
  const answers = JSON.parse(response.text) as AttendanceRecord[];
  if (response.status !== 200 || answers.length !== count || answers.some((a) => a.review || a.refusal || !a.receivedAt)) {
    throw new Error(`push failed: ${response.status} ${response.text.slice(0, 200)}`);
  }
  return performance.now() - t0;
}

/** Kiosks interleaved so concurrent pushes come from different kiosks, as in the field. */
function interleave(queues: Push[][]): Push[] {
  const pushes: Push[] = [];
  for (let round = 0; queues.some((q) => q.length > round); round++) {
    for (const queue of queues) if (queue[round]) pushes.push(queue[round]!);
  }
  return pushes;
}

async function pushAll(url: string, pushes: Push[], concurrency: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  async function worker() {
    while (next < pushes.length) latencies.push(await push(url, pushes[next++]!));
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies.sort((a, b) => a - b);
}

const ms = (value: number) => Math.round(value * 10) / 10;

const CLOCK_TICKS_PER_S = 100;

/**
 * CPU time (ms) used so far by the database's backends serving this database, read from /proc
 * when PostgreSQL runs on this machine; null elsewhere (PGlite runs inside this process). With
 * this process's own CPU it gives the work a record costs, which a loaded machine inflates far
 * less than it inflates wall time.
 */
async function backendCpuMs(pool: pg.Pool): Promise<Map<number, number> | null> {
  const { rows } = await pool.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database()');
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S);
    } catch {
      return null;
    }
  }
  return cpu;
}

function cpuSpentMs(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let spent = 0;
  for (const [pid, ms] of after) spent += ms - (before.get(pid) ?? 0);
  return spent;
}


/** The V8 profiler of this process, over the timed window only (node --cpu-prof would take in seeding and migrations). */
async function startCpuProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function countRecords(pool: pg.Pool): Promise<{ attendance: number; ledger: number }> {
  const { rows } = await pool.query<{ attendance: number; ledger: number }>(
    'select (select count(*) from attendance)::int as attendance, (select count(*) from credit_ledger)::int as ledger',
  );
  return rows[0]!;
}

async function benchOne(database: PlatformDatabase, opts: BenchOptions, locking: SyncWriteLocking): Promise<Record<string, unknown>> {
  await migrateDatabase(database.pool);
  if (opts.partitions !== undefined) await partitionTables(database.pool, opts.partitions);
  const kiosks = await seed(database.pool, opts);
  const app = await buildPlatformServer({ database, syncWriteLocking: locking });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const perKiosk = Math.floor(opts.records / opts.kiosks);
    const pushes = interleave(kiosks.map((k, i) => batchesFor(k, i, perKiosk, opts.batch).map((docs) => pushOf(k, docs))));
    const history = await countRecords(database.pool);
    const backendsBefore = database.kind === 'postgres' ? await backendCpuMs(database.pool) : null;
    const profiler = opts.cpuProfile ? await startCpuProfile() : undefined;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const latencies = await pushAll(url, pushes, opts.concurrency);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    if (profiler && opts.cpuProfile) await profiler.stop(`${opts.cpuProfile.replace(/\.cpuprofile$/, '')}-${locking}.cpuprofile`);
    const databaseCpuMs = cpuSpentMs(backendsBefore, database.kind === 'postgres' ? await backendCpuMs(database.pool) : null);
    const after = await countRecords(database.pool);
    const stored = after.attendance - history.attendance;

    // Fairness: kiosk 0 floods while the others check in their later class.
    const flooder = kiosks[0]!;
    const floodPushes = Array.from({ length: FLOOD_SESSIONS }, (_, s) =>
      pushOf(flooder, Array.from({ length: opts.floodBatch }, (_, i) => checkIn(flooder, floodSessionId(s), `FLOOD-${i}`, '2026-11-22T06:05:00.000Z'))),
    );
    let floodNext = 0;
    let othersDone = false;
    let floodBatches = 0;
    async function flood() {
      while (!othersDone && floodNext < FLOOD_SESSIONS) {
        await push(url, floodPushes[floodNext++]!);
        floodBatches++;
      }
    }
    const others = kiosks.slice(1).map((k, i) => batchesFor(k, i + 1, perKiosk, opts.batch, k.laterSessionId).map((docs) => pushOf(k, docs)));
    const flooding = Promise.all(Array.from({ length: opts.floodConcurrency }, flood));
    const floodStarted = performance.now();
    const otherLatencies = await pushAll(url, interleave(others), opts.concurrency);
    const floodSeconds = (performance.now() - floodStarted) / 1000;
    othersDone = true;
    await flooding;
    return {
      bench: 'sync',
      db: database.kind,
      locking,
      partitions: opts.partitions ?? null,
      kiosks: opts.kiosks,
      sites: opts.sites,
      records: stored,
      ledger_entries: after.ledger - history.ledger,
      batch: opts.batch,
      concurrency: opts.concurrency,
      seconds: Math.round(seconds * 100) / 100,
      ingest_records_per_s: Math.round(stored / seconds),
      push_p50_ms: ms(percentile(latencies, 50)),
      push_p95_ms: ms(percentile(latencies, 95)),
      push_p99_ms: ms(percentile(latencies, 99)),
      // Per 1,000 records: the platform and bench process, and PostgreSQL's backends (local server only).
      node_cpu_ms_per_1000: ms(((cpu.user + cpu.system) / 1000 / stored) * 1000),
      database_cpu_ms_per_1000: databaseCpuMs === null ? null : ms((databaseCpuMs / stored) * 1000),
      flood_batch: opts.floodBatch,
      flood_concurrency: opts.floodConcurrency,
      flood_batches_stored: floodBatches,
      flood_other_records_per_s: Math.round(((kiosks.length - 1) * perKiosk) / floodSeconds),
      flood_other_push_p50_ms: ms(percentile(otherLatencies, 50)),
      flood_other_push_p95_ms: ms(percentile(otherLatencies, 95)),
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
  const base = process.env.DATABASE_URL;
  if (!base || opts.pglite) {
    const lite = await openDatabase({});
    try {
      console.log(JSON.stringify(await benchOne(lite, opts, 'scoped')));
    } finally {
      await lite.close();
    }
  }
  if (!base) return;
  const results: Partial<Record<SyncWriteLocking, Record<string, unknown>>> = {};
  // Old scheme first, each in a database of its own so neither inherits the other's rows.
  for (const locking of opts.locking ? [opts.locking] : (['global', 'scoped'] as const)) {
    results[locking] = await onScratchPostgres(base, async (url) => {
      const database = await openDatabase({ databaseUrl: url });
      try {
        return await benchOne(database, opts, locking);
      } finally {
        await database.close();
      }
    });
    console.log(JSON.stringify(results[locking]));
  }
  const pick = (r: Record<string, unknown> | undefined) => ({
    ingest_records_per_s: r?.ingest_records_per_s,
    push_p95_ms: r?.push_p95_ms,
    flood_other_push_p95_ms: r?.flood_other_push_p95_ms,
  });
  if (opts.locking) return;
  console.log(
    JSON.stringify({
      bench: 'sync-compare',
      db: 'postgres',
      kiosks: opts.kiosks,
      sites: opts.sites,
      records: opts.records,
      old_global_lock: pick(results.global),
      new_scoped_locks: pick(results.scoped),
      ingest_speedup: Math.round((Number(results.scoped?.ingest_records_per_s) / Number(results.global?.ingest_records_per_s)) * 100) / 100,
    }),
  );
}
