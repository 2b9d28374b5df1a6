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
  const lite = await PGlite.create(options.dataDir ?? 'memory://');
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

/** Runs fn in one transaction on one pooled connection: committed when fn resolves, rolled back when it throws. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Runs fn in one transaction that holds the platform's sync write lock. Holding it until commit
 * makes the write sequence (sync_seq) grow in commit order, which is what lets a pull checkpoint
 * on it without ever skipping a row that a slower, concurrent transaction committed later.
 */
export async function withSyncWrite<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pool, async (client) => {
    await client.query('select pg_advisory_xact_lock(7310)');
    return fn(client);
  });
}
