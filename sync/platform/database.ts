import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';

export interface PlatformDatabase {
  pool: pg.Pool;
  /** 'postgres' for a real server, 'pglite' for the embedded one. */
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL URL; without one the platform runs on embedded PGlite. */
  databaseUrl?: string | undefined;
  /** Where PGlite keeps its files; omitted means in memory (tests). */
  dataDir?: string | undefined;
  /** Connections to a real PostgreSQL; PGlite always gets one (see below). */
  poolSize?: number;
  /**
   * For tests: an in-memory PGlite starts from this data folder (PGlite's dumpDataDir), so the
   * many short-lived test platforms skip initdb and the migrations (test/support/migrated-database.ts).
   */
  pgliteDataDump?: Blob | undefined;
}

/**
 * One client library (pg) and one SQL dialect for both back ends: PGlite is exposed on a
 * loopback socket through pglite-socket, whose multiplexer keeps each transaction on its own
 * connection, so the migrations, queries and transactions are the same code either way.
 */
export async function openDatabase(options: DatabaseOptions): Promise<PlatformDatabase> {
  const poolSize = options.poolSize ?? 8;
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: poolSize });
    // An idle connection dropped by the server (restart, failover, admin) must not crash the
    // process: pg-pool discards that client and the next query opens a fresh one.
    pool.on('error', () => undefined);
    await pool.query('select 1');
    return { pool, kind: 'postgres', close: () => pool.end() };
  }
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const lite = await PGlite.create({ dataDir: options.dataDir ?? 'memory://', loadDataDir: options.dataDir ? undefined : options.pgliteDataDump });
  const server = new PGLiteSocketServer({ db: lite, host: '127.0.0.1', port: 0, maxConnections: 2 });
  await server.start();
  // PGlite is one backend session. pglite-socket keeps a transaction's messages together, but
  // outside a transaction it interleaves the Parse/Bind/Execute messages of concurrent
  // parameterised queries on that one session, which mixes up their unnamed statements and can
  // hang both. One pooled connection queues them in pg instead; nothing is lost, since the
  // backend could only run one at a time anyway.
  const pool = new pg.Pool({ connectionString: `postgresql://postgres@${server.getServerConn()}/postgres`, max: 1 });
  return {
    pool,
    kind: 'pglite',
    async close() {
      await pool.end();
      await server.stop();
      await lite.close();
    },
  };
}

/**
 * Runs fn in one transaction on one pooled connection: committed when fn resolves, rolled back
 * when it throws. `begin` may add statements to the transaction's first round trip (a lock).
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, begin = 'begin'): Promise<T> {
  const client = await pool.connect();
  // A connection dropped mid-transaction (a database restart, pg_terminate_backend) fails the
  // running query and also emits 'error' on the client, which pg-pool listens for only while the
  // client is idle: unheard, that event would crash the platform.
  const dropped = () => undefined;
  client.on('error', dropped);
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.off('error', dropped);
    // A connection that cannot even roll back is discarded, not handed to the next request.
    client.release(broken);
  }
}

/**
 * Runs fn in one transaction that holds the platform's sync write lock exclusively: no push runs
 * beside it. For operators' writes and rows every kiosk pulls (courses, issuer keys, revocations,
 * learners); next_sync_seq() refuses to number a row without it. Pushes that call lockSyncScope
 * inside it work unchanged (the exclusive lock covers every site).
 */
export async function withSyncWrite<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pool, fn, 'begin; select take_sync_write_lock()');
}

/**
 * How kiosk pushes are serialised. 'scoped' (the default): pushes hold the sync write lock shared
 * plus the locks of the sites and learners they touch (lockSyncScope), so pushes at different
 * sites commit side by side. 'global': every push holds the lock exclusively, the scheme before
 * migration 1764650000000, kept to measure against and as a fallback an operator can switch to.
 */
export type SyncWriteLocking = 'scoped' | 'global';

/** A deadlock would mean a lock order was broken; retried rather than failing the kiosk's push. */
const DEADLOCK_DETECTED = '40P01';
const SCOPED_WRITE_ATTEMPTS = 3;

/**
 * Runs fn in one transaction that holds the sync write lock shared: it excludes operators'
 * writes (withSyncWrite) but not other pushes. fn must call lockSyncScope once, before it
 * writes anything, with every site and learner whose rows it writes.
 */
export async function withScopedSyncWrite<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(pool, fn, 'begin; select take_sync_write_lock_shared()');
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK_DETECTED || attempt >= SCOPED_WRITE_ATTEMPTS) throw error;
    }
  }
}

/** The write wrapper a push runs in under the chosen locking. */
export function syncWriteFor(locking: SyncWriteLocking): typeof withSyncWrite {
  return locking === 'global' ? withSyncWrite : withScopedSyncWrite;
}

export interface SyncScope {
  /** Sites whose kiosks pull what this write stores (a push: the kiosk's own site). */
  sites: string[];
  /** Learners whose ledger or progress it may write; the sites that pull those are added. */
  learners?: string[];
}

/**
 * Takes every lock a push needs, in one fixed order (learners, then sites), before it numbers a
 * row: next_sync_seq(site) and next_learner_sync_seq(learner) refuse anything not locked here.
 * A no-op under the exclusive lock.
 */
export async function lockSyncScope(client: pg.ClientBase, scope: SyncScope): Promise<void> {
  await client.query(prepared(client, 'lock-sync-scope', 'select lock_sync_scope($1::text[], $2::text[])', [scope.sites, [...new Set(scope.learners ?? [])]]));
}

const connectionTags = new WeakMap<pg.ClientBase, number>();
let nextConnectionTag = 0;

/**
 * A query the push path runs on every push, as a named (prepared) statement: PostgreSQL parses
 * and plans it once per connection instead of every time, and for these small lookups planning
 * cost more than running them. The name carries a tag of the connection because pglite-socket
 * shares one PGlite session between its connections: a name prepared by a connection since
 * discarded would clash with the next connection's.
 */
export function prepared(client: pg.ClientBase, name: string, text: string, values: unknown[]): pg.QueryConfig {
  let tag = connectionTags.get(client);
  if (tag === undefined) {
    tag = nextConnectionTag++;
    connectionTags.set(client, tag);
  }
  return { name: `${name}.${tag}`, text, values };
}
