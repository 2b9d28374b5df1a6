import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type PlatformDatabase } from './database';
import { migrateDatabase } from './migrate';
import { buildPlatformServer } from './server';
import { removeRunFile, writeRunFile } from './platform-run-file';

export interface PlatformOptions {
  databaseUrl?: string | undefined;
  /** PGlite's folder when there is no databaseUrl; omitted means in memory. */
  dataDir?: string | undefined;
  /** For tests: what an in-memory PGlite starts from (DatabaseOptions.pgliteDataDump). */
  pgliteDataDump?: Blob | undefined;
  host?: string;
  port?: number;
  logger?: boolean;
  /** Defaults to PLATFORM_ADMIN_TOKEN from the environment. */
  adminToken?: string | undefined;
  contentDir?: string | undefined;
  /** Defaults to PLATFORM_TRUST_PROXY from the environment: the balancers' addresses or CIDR ranges. */
  trustProxy?: string | undefined;
  /** The built console; defaults to dist/console in this checkout. */
  consoleAppDir?: string | undefined;
}

const BUILT_CONSOLE = fileURLToPath(new URL('../../dist/console', import.meta.url));

export interface RunningPlatform {
  app: FastifyInstance;
  database: PlatformDatabase;
  url: string;
  close(): Promise<void>;
}

/** Opens (and migrates) the database, then serves the platform API. */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir: options.dataDir, pgliteDataDump: options.pgliteDataDump });
  // An embedded database has one owner: the admin CLI must come through this platform's API,
  // so the platform always has an admin token then, if only one for the CLI in its run file.
  const embeddedDir = options.databaseUrl ? undefined : options.dataDir;
  const adminToken = options.adminToken ?? process.env.PLATFORM_ADMIN_TOKEN ?? (embeddedDir ? randomBytes(24).toString('base64url') : undefined);
  try {
    await migrateDatabase(database.pool);
    const app = await buildPlatformServer({
      database,
      logger: options.logger ?? false,
      adminToken,
      contentDir: options.contentDir,
      consoleAppDir: options.consoleAppDir ?? BUILT_CONSOLE,
      trustProxy: options.trustProxy ?? (process.env.PLATFORM_TRUST_PROXY?.trim() || undefined),
    });
    const url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
    if (embeddedDir && adminToken) {
      const { port } = app.server.address() as AddressInfo;
      await writeRunFile(embeddedDir, { pid: process.pid, url: `http://127.0.0.1:${port}`, adminToken, startedAt: new Date().toISOString() });
    }
    return {
      app,
      database,
      url,
      async close() {
        if (embeddedDir) await removeRunFile(embeddedDir);
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
