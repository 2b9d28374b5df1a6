import { existsSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyHttpProxy from '@fastify/http-proxy';
import { Compile } from 'typebox/compile';
import { CourseRecord } from '../../sync/protocol/course-record';
import { parseCoursePackage, type CoursePackage } from '../../sync/protocol/course-package';
import {
  JournalAppended,
  JournalConfirmBody,
  JournalEntry,
  JournalListing,
  KioskConfigAnswer,
  KioskHostRoutes,
  STAFF_TOKEN_HEADER,
  StaffUnlockBody,
  StaffUnlocked,
  StaffUnlockRefused,
} from '../../sync/protocol/kiosk-host-api';
import { publicKioskConfig, type KioskEnrolment, type KioskSettings } from './kiosk-config';
import { KioskEnrolmentAgent } from './kiosk-enrolment';
import { kioskEnrolmentRoutes } from './kiosk-enrolment-routes';
import { registerContentSecurityPolicy } from './content-security-policy';
import { registerKioskHeartbeat } from './kiosk-heartbeat';
import { guardLoopback } from './loopback-guard';
import { callPlatform, checkPlatformUrl, platformAgentOptions } from './platform-tls';
import { PLATFORM_CONTACT_FILE, PlatformContact } from './platform-contact';
import { RecordJournal } from './record-journal';
import { rendererPage } from './renderer-page';
import { requireStaffToken, StaffPinGuard, StaffTokens } from './staff-pin';
import type { CourseCache } from './course-cache/course-cache';
import { courseCacheRoutes } from './course-cache/course-cache-routes';
import { BUNDLE_KEY_HEADER } from '../../sync/protocol/record-bundle';
import { KioskBundleKey } from './bundle-key';
import { recordBundleRoutes } from './record-bundle-routes';
import { exportFoldersFromEnvironment } from './usb-folders';
import type { CourseDriveOptions } from './course-cache/course-drives';
import { removableDriveRoots } from './removable-drives';
import { courseImportRoutes } from './course-cache/course-import-routes';
import { CourseImports } from './course-cache/course-imports';
import { PlatformKeys } from './course-cache/platform-keys';
import type { TrustedKey } from '../../sync/protocol/course-export';
import { IssuerKey } from '../../sync/protocol/issuer-key';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export interface KioskHostOptions {
  settings: KioskSettings;
  /** Null until the kiosk is enrolled: the host then enrols it (see kiosk-enrolment.ts). */
  enrolment: KioskEnrolment | null;
  /** Where the kiosk writes the enrolment it gets; needed while it has none. */
  enrolmentFile?: string;
  /** The record journal (record-journal.ts), in the kiosk's data folder. */
  journalFile: string;
  /** How often an unenrolled kiosk asks whether its request was approved. */
  enrolmentPollMs?: number;
  rendererDir?: string;
  host?: string;
  port?: number;
  /** The kiosk's course store; without it the host serves no course content. */
  courseCache?: CourseCache;
  /** Checks the staff PIN; tests give one that counts hash checks or has a short lockout. */
  staffPinGuard?: StaffPinGuard;
  staffTokens?: StaffTokens;
  /** Extra certificate authorities (PEM) for the platform's TLS, beside the system's. */
  platformCa?: string | string[];
  /** Folders whose sub-folders are mounted USB drives, for record bundles and course imports; removable-drives.ts unless given. */
  removableDriveRoots?: string[];
  /** Reported in the heartbeat; the Electron shell passes its app version. */
  appVersion?: string;
  /** Folders staff may export record bundles to besides removable drives; YUEXUE_EXPORT_FOLDER otherwise. */
  exportFolders?: string[];
}

export interface RunningKioskHost {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

const TIMEOUT_MS = 20_000;
const courseRecord = Compile(CourseRecord);
const issuerKey = Compile(IssuerKey);

function enrolmentAgent(
  options: KioskHostOptions,
  agent: HttpsAgent,
  bundleKey: KioskBundleKey,
  onEnrolled: (enrolment: KioskEnrolment) => void,
): KioskEnrolmentAgent | null {
  if (options.enrolment) return null;
  if (!options.enrolmentFile) throw new Error('A kiosk that is not enrolled needs a data folder to keep its enrolment in.');
  return new KioskEnrolmentAgent({
    platformUrl: options.settings.platformUrl,
    kiosk: { kioskName: options.settings.kioskName, bundlePublicKey: bundleKey.publicKey },
    enrolmentFile: options.enrolmentFile,
    pollMs: options.enrolmentPollMs,
    onEnrolled,
    agent,
  });
}

/** Every document of one pull collection, page by page, through the same pinned connection as the relay. */
async function* pulledDocuments(settings: KioskSettings, enrolment: KioskEnrolment, agent: HttpsAgent, collection: string): AsyncGenerator<unknown> {
  const base = settings.platformUrl.replace(/\/+$/, '');
  let seq = 0;
  for (;;) {
    const answer = await callPlatform(
      `${base}/sync/${collection}/pull?seq=${seq}&limit=200`,
      { method: 'GET', headers: { authorization: `Bearer ${enrolment.credential}` } },
      agent,
      AbortSignal.timeout(TIMEOUT_MS),
    );
    if (answer.status !== 200) throw new Error(`the platform answered ${answer.status}`);
    const page = JSON.parse(answer.text) as { documents: unknown[]; checkpoint: { seq: number } | null };
    yield* page.documents;
    if (page.documents.length === 0 || !page.checkpoint) return;
    seq = page.checkpoint.seq;
  }
}

/** The platform's current catalog entry for a course; null when the catalog has no such (undeleted) course. */
async function catalogManifest(settings: KioskSettings, enrolment: KioskEnrolment | null, agent: HttpsAgent, courseId: string): Promise<CoursePackage | null> {
  if (!enrolment) return null;
  for await (const doc of pulledDocuments(settings, enrolment, agent, 'courses')) {
    if (courseRecord.Check(doc) && doc.id === courseId) return doc._deleted ? null : parseCoursePackage(doc.manifest);
  }
  return null;
}

/** The platform's issuer keys, all of them; null before enrolment. */
async function pullIssuerKeys(settings: KioskSettings, enrolment: KioskEnrolment | null, agent: HttpsAgent): Promise<TrustedKey[] | null> {
  if (!enrolment) return null;
  const keys = new Map<string, TrustedKey>();
  for await (const doc of pulledDocuments(settings, enrolment, agent, 'issuer_keys')) {
    if (issuerKey.Check(doc)) keys.set(doc.id, { id: doc.id, publicKey: doc.publicKey, status: doc.status });
  }
  return [...keys.values()];
}

/**
 * The kiosk host: serves the renderer on loopback, relays sync to the platform with the kiosk's
 * credential (which so never reaches page scripts), checks the staff PIN and keeps the record
 * journal. Only the kiosk's own page may use it (loopback-guard.ts); staff routes want the token
 * a right PIN returns. A kiosk without an enrolment still serves the renderer, which then shows
 * the enrolment screen, and becomes an enrolled one without a restart. Plain Node, so the browser
 * kiosk and Electron run the same host.
 */
export async function buildKioskHost(options: KioskHostOptions): Promise<FastifyInstance> {
  const { settings } = options;
  checkPlatformUrl(settings.platformUrl);
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  if (!existsSync(rendererDir)) {
    throw new Error(`The renderer is not built (${rendererDir} is missing): run "npm run build".`);
  }
  const tls = platformAgentOptions({ pins: settings.platformPins, ca: options.platformCa });
  const platformAgent = new HttpsAgent(tls);
  const journal = await RecordJournal.open(options.journalFile);
  const platformContact = await PlatformContact.open(join(dirname(options.journalFile), PLATFORM_CONTACT_FILE));
  // Made before enrolment on a new kiosk, so the enrolment registers it with the platform; a
  // kiosk enrolled before bundles existed registers it with its next relayed sync.
  const bundleKey = await KioskBundleKey.open(dirname(options.journalFile));
  // Read at each use: enrolment replaces it while the host runs.
  let enrolment = options.enrolment;
  // Kept beside the journal, so a village kiosk checks a drive's courses with no network.
  const platformKeys = options.courseCache
    ? await PlatformKeys.open(join(dirname(options.journalFile), 'platform-keys.json'), () => pullIssuerKeys(settings, enrolment, platformAgent))
    : null;
  const agent = enrolmentAgent(options, platformAgent, bundleKey, (enrolled) => {
    enrolment = enrolled;
    void platformKeys?.refresh();
  });
  const app = Fastify({ logger: false });
  registerContentSecurityPolicy(app);
  guardLoopback(app);
  const pinGuard = options.staffPinGuard ?? new StaffPinGuard(settings.staffPinHash);
  const staffTokens = options.staffTokens ?? new StaffTokens();

  const staffOnly = requireStaffToken(staffTokens);

  app.get(KioskHostRoutes.health, async () => ({ status: 'ok', service: 'yuexue-kiosk-host', enrolled: enrolment !== null, kioskId: enrolment?.kioskId ?? null }));
  const currentConfig = () => publicKioskConfig(settings, enrolment, platformContact.lastContactAt());
  app.get(KioskHostRoutes.config, { schema: { response: { 200: KioskConfigAnswer } } }, async () => currentConfig());

  await app.register(kioskEnrolmentRoutes(agent, () => enrolment, journal));

  app.post<{ Body: StaffUnlockBody }>(
    KioskHostRoutes.staffUnlock,
    { schema: { body: StaffUnlockBody, response: { 200: StaffUnlocked, 403: StaffUnlockRefused } } },
    async (request, reply) => {
      const result = await pinGuard.attempt(request.body.pin);
      if (!result.ok) return reply.code(403).send({ unlocked: false, lockedForMs: result.lockedForMs, attemptsLeft: result.attemptsLeft });
      return { unlocked: true, token: staffTokens.issue(), idleTimeoutMs: staffTokens.idleTimeoutMs };
    },
  );

  app.post(KioskHostRoutes.staffLock, async (request, reply) => {
    const token = request.headers[STAFF_TOKEN_HEADER];
    staffTokens.revoke(typeof token === 'string' ? token : undefined);
    return reply.code(204).send();
  });

  const notEnrolled = (reply: FastifyReply) => reply.code(409).send({ statusCode: 409, error: 'Conflict', message: 'This kiosk is not enrolled yet.' });

  app.post<{ Body: JournalEntry }>(KioskHostRoutes.journal, { schema: { body: JournalEntry, response: { 201: JournalAppended } } }, async (request, reply) => {
    if (!enrolment) return notEnrolled(reply);
    const { record } = request.body;
    if (record.kioskId !== enrolment.kioskId || record.siteId !== enrolment.siteId) {
      return reply.code(422).send({ statusCode: 422, error: 'Invalid', message: `The record names kiosk ${record.kioskId} at ${record.siteId}; this kiosk is ${enrolment.kioskId} at ${enrolment.siteId}.` });
    }
    return reply.code(201).send({ journaledAt: await journal.append(request.body) });
  });

  app.get(KioskHostRoutes.journal, { schema: { response: { 200: JournalListing } } }, async (_request, reply) => {
    if (!enrolment) return notEnrolled(reply);
    return { entries: journal.waitingFor(enrolment.kioskId, enrolment.siteId) };
  });

  app.post<{ Body: JournalConfirmBody }>(KioskHostRoutes.journalConfirmed, { schema: { body: JournalConfirmBody } }, async (request, reply) => {
    await journal.confirm(request.body.confirmed);
    return reply.code(204).send();
  });

  const { courseCache } = options;
  // Every relayed sync carries the kiosk's health to the platform (the operators' console shows it).
  const heartbeat = await registerKioskHeartbeat(app, {
    appVersion: options.appVersion ?? process.env.npm_package_version ?? 'unknown',
    dataDir: dirname(options.journalFile),
    ...(courseCache ? { courseCacheBytes: () => courseCache.usedBytes() } : {}),
  });
  // The relay answers 409 (not enrolled) or 503 (unreachable) itself: below 400, the platform answered.
  app.addHook('onResponse', async (request, reply) => {
    if (request.url.startsWith('/sync/') && reply.statusCode < 400) void platformContact.note();
  });
  app.addHook('onClose', async () => platformContact.written());
  await app.register(fastifyHttpProxy, {
    upstream: settings.platformUrl,
    prefix: '/sync',
    rewritePrefix: '/sync',
    // @fastify/reply-from turns certificate checks off unless told otherwise (rejectUnauthorized
    // defaults to false there): the relay carries the credential, so they are on, with the pins.
    http: { agents: { 'http:': new HttpAgent(), 'https:': platformAgent }, requestOptions: { timeout: TIMEOUT_MS, rejectUnauthorized: true } },
    preHandler: async (_request, reply) => {
      if (!enrolment) return notEnrolled(reply);
    },
    replyOptions: {
      rewriteRequestHeaders: (_request, headers) => ({
        ...headers,
        authorization: `Bearer ${enrolment?.credential ?? ''}`,
        ...heartbeat.headers(),
        // The platform keeps the first key it sees and ignores the header after: cheaper than a registration step that can fail apart.
        [BUNDLE_KEY_HEADER]: bundleKey.publicKey,
      }),
      // Offline is normal for a kiosk: say so plainly, as a 503 the renderer reads as "offline".
      onError: (reply, { error }) => {
        void reply.code(503).send({ statusCode: 503, error: 'Platform Unreachable', message: `The platform cannot be reached: ${error.message}` });
      },
    },
  });

  await app.register(
    recordBundleRoutes({
      staffOnly,
      enrolment: () => enrolment,
      journal,
      bundleKey,
      platformUrl: settings.platformUrl,
      agent: platformAgent,
      exportFolders: options.exportFolders ?? exportFoldersFromEnvironment(),
      ...(options.removableDriveRoots ? { removableDriveRoots: options.removableDriveRoots } : {}),
    }),
  );

  if (options.courseCache) {
    await app.register(
      courseCacheRoutes(options.courseCache, `${settings.platformUrl.replace(/\/$/, '')}/content`, {
        staffOnly,
        catalogManifest: (courseId) => catalogManifest(settings, enrolment, platformAgent, courseId),
      }),
    );
    const cache = options.courseCache;
    const drives: CourseDriveOptions = {
      removableRoots: options.removableDriveRoots ?? removableDriveRoots(),
      ...(settings.courseImportFolder ? { configuredFolder: settings.courseImportFolder } : {}),
      keys: () => platformKeys?.trusted() ?? [],
      cachedVersion: (courseId) => {
        const cached = cache.course(courseId);
        return cached?.complete ? cached.manifest.version : null;
      },
    };
    const imports = new CourseImports(cache, drives);
    await app.register(courseImportRoutes(imports, drives, staffOnly));
    app.addHook('onClose', async () => {
      platformKeys?.close();
      await imports.settled();
    });
    platformKeys?.start();
  }

  const page = rendererPage(rendererDir);
  const servePage = async (_request: unknown, reply: FastifyReply) =>
    reply
      .type('text/html; charset=utf-8')
      // It carries the config of the moment (enrolment, last platform contact): never reused.
      .header('cache-control', 'no-store')
      .send(page(currentConfig()));
  app.get('/', servePage);
  app.get('/index.html', servePage);
  await app.register(fastifyStatic, {
    root: rendererDir,
    prefix: '/',
    index: false,
    // Vite names every built asset by its content's hash: a kiosk's later starts take them from
    // the browser's cache without asking. Anything else is asked for again each time.
    cacheControl: false,
    setHeaders: (response, path) => {
      if (path.includes(`${sep}assets${sep}`)) response.setHeader('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  app.addHook('onClose', async () => platformAgent.destroy());
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
