import type { FastifyPluginAsync } from 'fastify';
import type pg from 'pg';

export function healthRoutes(pool: pg.Pool, databaseKind: string): FastifyPluginAsync {
  return async (app) => {
    app.get('/health', async (_request, reply) => {
      try {
        await pool.query('select 1');
        return { status: 'ok', service: 'yuexue-platform', database: databaseKind };
      } catch (error) {
        return reply.code(503).send({ status: 'unavailable', service: 'yuexue-platform', message: String(error) });
      }
    });
  };
}
