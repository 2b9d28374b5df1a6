import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyHttpProxy from '@fastify/http-proxy';
import { Type } from 'typebox';
import { publicKioskConfig, type KioskConfig } from './kiosk-config';
import { StaffPinGuard } from './staff-pin';
import type { CourseCache } from './course-cache/course-cache';
import { courseCacheRoutes } from './course-cache/course-cache-routes';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export interface KioskHostOptions {
  config: KioskConfig;
  rendererDir?: string;
  host?: string;
  port?: number;
  /** The kiosk's course store; without it the host serves no course content. */
  courseCache?: CourseCache;
}

export interface RunningKioskHost {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/**
 * The kiosk host: serves the renderer on loopback, relays sync to the platform with the kiosk's
 * credential (which so never reaches page scripts), and checks the staff PIN. Plain Node, so the
 * browser kiosk and Electron run the same host.
 */
export async function buildKioskHost(options: KioskHostOptions): Promise<FastifyInstance> {
  const { config } = options;
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  if (!existsSync(rendererDir)) {
    throw new Error(`The renderer is not built (${rendererDir} is missing): run "npm run build".`);
  }
  const app = Fastify({ logger: false });
  const pinGuard = new StaffPinGuard(config.staffPinHash);

  app.get('/health', async () => ({ status: 'ok', service: 'yuexue-kiosk-host', kioskId: config.kioskId }));
  app.get('/kiosk/config', async () => publicKioskConfig(config));

  app.post(
    '/kiosk/staff/unlock',
    { schema: { body: Type.Object({ pin: Type.String({ maxLength: 16 }) }, { additionalProperties: false }) } },
    async (request, reply) => {
      const result = await pinGuard.attempt((request.body as { pin: string }).pin);
      return result.ok ? { unlocked: true } : reply.code(403).send({ unlocked: false, ...result });
    },
  );

  await app.register(fastifyHttpProxy, {
    upstream: config.platformUrl,
    prefix: '/sync',
    rewritePrefix: '/sync',
    http: { requestOptions: { timeout: 20_000 } },
    replyOptions: {
      rewriteRequestHeaders: (_request, headers) => ({ ...headers, authorization: `Bearer ${config.credential}` }),
      // Offline is normal for a kiosk: say so plainly, as a 503 the renderer reads as "offline".
      onError: (reply, { error }) => {
        void reply.code(503).send({ statusCode: 503, error: 'Platform Unreachable', message: `The platform cannot be reached: ${error.message}` });
      },
    },
  });

  if (options.courseCache) await app.register(courseCacheRoutes(options.courseCache, `${config.platformUrl.replace(/\/$/, '')}/content`));

  await app.register(fastifyStatic, { root: rendererDir, prefix: '/', index: 'index.html' });
  return app;
}

export async function startKioskHost(options: KioskHostOptions): Promise<RunningKioskHost> {
  const app = await buildKioskHost(options);
  const url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  return { app, url, close: () => app.close() };
}
