import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { PlatformDatabase, SyncWriteLocking } from './database';
import { SyncRejection } from './collections/platform-collection';
import { healthRoutes } from './routes/health';
import { replicationRoutes } from './routes/replication';
import { recordBundleRelayRoutes } from './routes/record-bundles';
import { enrolmentRoutes } from './routes/enrolment';
import { enrolmentApprovalRoutes } from './routes/enrolment-approval';
import { adminRoutes } from './admin/admin-routes';
import { courseContentRoutes } from './routes/course-content';
import { consoleRoutes } from './console/console-routes';
import type { ReviewQueue } from './console/review-queue';
import { platformReviewQueue } from './console/platform-review-queue';
import { typeboxValidatorCompiler } from './typebox-validator';

export interface PlatformServerOptions {
  database: PlatformDatabase;
  logger?: boolean;
  /** Enables /admin; without one the admin API is not served at all. */
  adminToken?: string | undefined;
  /** Where course package files live (`<course id>/<file>`); without it /content is not served. */
  contentDir?: string | undefined;
  /**
   * Behind a load balancer: the proxies whose X-Forwarded-For to believe (Fastify's trustProxy,
   * addresses or CIDR ranges, comma-separated), so rate limits count kiosks, not the balancer.
   */
  trustProxy?: string | undefined;
  /** The built operators' console (dist/console), served under /console/. */
  consoleAppDir?: string | undefined;
  /** The review queue the console lists and decides; the platform's own unless a test hands in a stand-in. */
  reviewQueue?: ReviewQueue | undefined;
  /** How pushes are serialised (database.ts SyncWriteLocking); 'scoped' unless PLATFORM_SYNC_LOCKING says 'global'. */
  syncWriteLocking?: SyncWriteLocking | undefined;
}

/** The central platform's HTTP API. Stateless: everything it needs is in PostgreSQL. */
export async function buildPlatformServer(options: PlatformServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, trustProxy: options.trustProxy ?? false });
  const { pool, kind } = options.database;
  app.setValidatorCompiler(typeboxValidatorCompiler);
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof SyncRejection) {
      return reply.code(error.statusCode).send({ statusCode: error.statusCode, error: 'Rejected', message: error.message });
    }
    const err = error as { validation?: unknown; statusCode?: number; message: string };
    if (err.validation || (err.statusCode && err.statusCode < 500)) {
      const statusCode = err.statusCode ?? 400;
      return reply.code(statusCode).send({ statusCode, error: 'Bad Request', message: err.message });
    }
    request.log.error(error);
    return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'The platform could not process this request.' });
  });
  await app.register(healthRoutes(pool, kind));
  // Only the routes that name a limit in their config are limited (enrolment-rate-limits.ts).
  await app.register(fastifyRateLimit, { global: false });
  await app.register(enrolmentRoutes(pool));
  await app.register(enrolmentApprovalRoutes(pool, options.adminToken));
  await app.register(replicationRoutes(pool, { locking: options.syncWriteLocking ?? (process.env.PLATFORM_SYNC_LOCKING === 'global' ? 'global' : 'scoped') }));
  await app.register(recordBundleRelayRoutes(pool));
  if (options.adminToken) await app.register(adminRoutes(pool, options.adminToken));
  if (options.contentDir) await app.register(courseContentRoutes(options.contentDir));
  await app.register(consoleRoutes(pool, { appDir: options.consoleAppDir, reviewQueue: options.reviewQueue ?? platformReviewQueue(pool) }));
  return app;
}
