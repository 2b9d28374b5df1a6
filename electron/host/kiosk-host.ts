import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyHttpProxy from '@fastify/http-proxy';
import { Type } from 'typebox';
import { publicKioskConfig, type KioskEnrolment, type KioskSettings } from './kiosk-config';
import { KioskEnrolmentAgent } from './kiosk-enrolment';
import { kioskEnrolmentRoutes } from './kiosk-enrolment-routes';
import { StaffPinGuard } from './staff-pin';
import type { CourseCache } from './course-cache/course-cache';
import { courseCacheRoutes } from './course-cache/course-cache-routes';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export interface KioskHostOptions {
  settings: KioskSettings;
  /** Null until the kiosk is enrolled: the host then enrols it (see kiosk-enrolment.ts). */
  enrolment: KioskEnrolment | null;
  /** Where the kiosk writes the enrolment it gets; needed while it has none. */
  enrolmentFile?: string;
  /** How often an unenrolled kiosk asks whether its request was approved. */
  enrolmentPollMs?: number;
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

function enrolmentAgent(options: KioskHostOptions, onEnrolled: (enrolment: KioskEnrolment) => void): KioskEnrolmentAgent | null {
  if (options.enrolment) return null;
  if (!options.enrolmentFile) throw new Error('A kiosk that is not enrolled needs a data folder to keep its enrolment in.');
  return new KioskEnrolmentAgent({
    platformUrl: options.settings.platformUrl,
    kioskName: options.settings.kioskName,
    enrolmentFile: options.enrolmentFile,
    pollMs: options.enrolmentPollMs,
    onEnrolled,
  });
}

/**
 * The kiosk host: serves the renderer on loopback, relays sync to the platform with the kiosk's
 * credential (which so never reaches page scripts), and checks the staff PIN. A kiosk without an
 * enrolment still serves the renderer, which then shows the enrolment screen, and becomes an
 * enrolled one without a restart. Plain Node, so the browser kiosk and Electron run the same host.
 */
export async function buildKioskHost(options: KioskHostOptions): Promise<FastifyInstance> {
  const { settings } = options;
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  if (!existsSync(rendererDir)) {
    throw new Error(`The renderer is not built (${rendererDir} is missing): run "npm run build".`);
  }
  // Read at each use: enrolment replaces it while the host runs.
  let enrolment = options.enrolment;
  const agent = enrolmentAgent(options, (enrolled) => {
    enrolment = enrolled;
  });
  const app = Fastify({ logger: false });
  const pinGuard = new StaffPinGuard(settings.staffPinHash);

  app.get('/health', async () => ({ status: 'ok', service: 'yuexue-kiosk-host', enrolled: enrolment !== null, kioskId: enrolment?.kioskId ?? null }));
  app.get('/kiosk/config', async () => publicKioskConfig(settings, enrolment));

  await app.register(kioskEnrolmentRoutes(agent, () => enrolment));

  app.post(
    '/kiosk/staff/unlock',
    { schema: { body: Type.Object({ pin: Type.String({ maxLength: 16 }) }, { additionalProperties: false }) } },
    async (request, reply) => {
      const result = await pinGuard.attempt((request.body as { pin: string }).pin);
      return result.ok ? { unlocked: true } : reply.code(403).send({ unlocked: false, ...result });
    },
  );

  await app.register(fastifyHttpProxy, {
    upstream: settings.platformUrl,
    prefix: '/sync',
    rewritePrefix: '/sync',
    http: { requestOptions: { timeout: 20_000 } },
    preHandler: async (_request, reply) => {
      if (!enrolment) return reply.code(409).send({ statusCode: 409, error: 'Conflict', message: 'This kiosk is not enrolled yet.' });
    },
    replyOptions: {
      rewriteRequestHeaders: (_request, headers) => ({ ...headers, authorization: `Bearer ${enrolment?.credential ?? ''}` }),
      // Offline is normal for a kiosk: say so plainly, as a 503 the renderer reads as "offline".
      onError: (reply, { error }) => {
        void reply.code(503).send({ statusCode: 503, error: 'Platform Unreachable', message: `The platform cannot be reached: ${error.message}` });
      },
    },
  });

  if (options.courseCache) await app.register(courseCacheRoutes(options.courseCache, `${settings.platformUrl.replace(/\/$/, '')}/content`));

  await app.register(fastifyStatic, { root: rendererDir, prefix: '/', index: 'index.html' });
  if (agent) {
    app.addHook('onClose', async () => agent.close());
    agent.start();
  }
  return app;
}

export async function startKioskHost(options: KioskHostOptions): Promise<RunningKioskHost> {
  const app = await buildKioskHost(options);
  const url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  return { app, url, close: () => app.close() };
}
