import type { FastifyPluginAsync, preHandlerAsyncHookHandler } from 'fastify';
import fastifyStatic from '@fastify/static';
import { CoursePackageError, parseCoursePackage, type CoursePackage } from '../../../sync/protocol/course-package';
import { CacheListing, CourseCacheStatus, CourseIdParams, KioskHostRoutes, PinBody } from '../../../sync/protocol/kiosk-host-api';
import type { CourseCache } from './course-cache';
import { CourseDownloads } from './course-downloads';

export interface CourseCacheRouteOptions {
  /** Refuses a request without a live staff token (kiosk-host.ts). */
  staffOnly: preHandlerAsyncHookHandler;
  /**
   * The platform's current manifest of a course, or null when its catalog has no such course;
   * throws when the platform cannot be reached.
   */
  catalogManifest: (courseId: string) => Promise<CoursePackage | null>;
}

/**
 * The renderer's view of the course cache: lesson files at /content/<course>/<file> with HTTP
 * Range (the player seeks without reading the whole file), and routes to start a course's
 * download and follow its progress. Only files of complete, verified courses are served.
 * Staff manage the cache (list, download, pin, remove) with their token; a learner opening a
 * course may only have the host fetch that course as the platform's catalog describes it, so no
 * caller can fill the kiosk's disk with a manifest of its own.
 */
export function courseCacheRoutes(cache: CourseCache, packageBaseUrl: string, options: CourseCacheRouteOptions): FastifyPluginAsync {
  return async (app) => {
    const downloads = new CourseDownloads(cache, packageBaseUrl);
    app.addHook('onClose', async () => downloads.close());
    const params = { params: CourseIdParams };
    const staff = { preHandler: options.staffOnly };

    /** Starts the download unless that version is already cached; answers the status. */
    async function ensure(manifest: CoursePackage): Promise<{ started: boolean; status: CourseCacheStatus }> {
      const current = downloads.statusOf(manifest.id);
      if (current.state === 'ready' && cache.course(manifest.id)?.manifest.version === manifest.version) {
        await cache.touch(manifest.id);
        return { started: false, status: current };
      }
      void downloads.start(manifest);
      return { started: true, status: downloads.statusOf(manifest.id) };
    }

    app.get(KioskHostRoutes.courses, { ...staff, schema: { response: { 200: CacheListing } } }, async () => {
      const ids = [...new Set([...cache.courseIds(), ...downloads.knownIds()])].sort();
      return {
        usedBytes: cache.usedBytes(),
        budgetBytes: cache.budgetBytes,
        courses: ids.map((id) => {
          const cached = cache.course(id);
          const status = downloads.statusOf(id);
          return {
            id,
            state: status.state,
            receivedBytes: status.receivedBytes,
            totalBytes: status.totalBytes,
            bytes: cached?.bytes ?? 0,
            pinned: cached?.pinned ?? false,
            lastUsedAt: cached ? new Date(cached.lastUsedAt).toISOString() : null,
            ...(status.message ? { message: status.message } : {}),
          };
        }),
      };
    });

    app.put<{ Params: { id: string }; Body: PinBody }>(KioskHostRoutes.coursePin, { ...staff, schema: { ...params, body: PinBody } }, async (request, reply) => {
      const { id } = request.params;
      if (!cache.course(id)) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `Course ${id} is not on this kiosk; download it first.` });
      await cache.pin(id, request.body.pinned);
      return { id, pinned: request.body.pinned };
    });

    app.delete<{ Params: { id: string } }>(KioskHostRoutes.course, { ...staff, schema: params }, async (request, reply) => {
      const { id } = request.params;
      if (cache.isDownloading(id)) {
        // Deleting the folder under a running download would leave a half course and a broken transfer.
        return reply.code(409).send({ statusCode: 409, error: 'Conflict', message: `Course ${id} is still downloading; wait until it finishes, then remove it.` });
      }
      if (!cache.course(id) && downloads.statusOf(id).state === 'absent') {
        return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `Course ${id} is not on this kiosk.` });
      }
      await cache.evict(id);
      downloads.forget(id);
      return reply.code(204).send();
    });

    app.get<{ Params: { id: string } }>(KioskHostRoutes.course, { schema: { ...params, response: { 200: CourseCacheStatus } } }, async (request) =>
      downloads.statusOf(request.params.id),
    );

    app.post<{ Params: { id: string } }>(KioskHostRoutes.courseDownload, { ...staff, schema: params, bodyLimit: 256 * 1024 }, async (request, reply) => {
      let manifest;
      try {
        manifest = parseCoursePackage(request.body, 'the course manifest');
      } catch (error) {
        if (error instanceof CoursePackageError) return reply.code(422).send({ statusCode: 422, error: 'Invalid', message: error.message });
        throw error;
      }
      if (manifest.id !== request.params.id) {
        return reply.code(422).send({ statusCode: 422, error: 'Invalid', message: 'The manifest is for another course.' });
      }
      const { started, status } = await ensure(manifest);
      return reply.code(started ? 202 : 200).send(status);
    });

    app.post<{ Params: { id: string } }>(KioskHostRoutes.courseOpen, { schema: params }, async (request, reply) => {
      const { id } = request.params;
      const cached = cache.course(id);
      let manifest: CoursePackage | null;
      try {
        manifest = await options.catalogManifest(id);
      } catch (error) {
        // Offline, a cached course still plays: only a missing one needs the platform.
        if (cached?.complete) {
          await cache.touch(id);
          return downloads.statusOf(id);
        }
        return reply.code(503).send({ state: 'failed', receivedBytes: 0, totalBytes: 0, code: 'http', message: `The platform's catalog cannot be read: ${(error as Error).message}` });
      }
      if (!manifest) {
        return reply.code(404).send({ state: 'failed', receivedBytes: 0, totalBytes: 0, code: 'not-in-catalog', message: `Course ${id} is not in the platform's catalog for this site.` });
      }
      const { started, status } = await ensure(manifest);
      return reply.code(started ? 202 : 200).send(status);
    });

    await app.register(fastifyStatic, {
      root: cache.dir,
      prefix: '/content/',
      decorateReply: false,
      index: false,
      allowedPath: (pathName) => {
        try {
          return cache.isServable(decodeURIComponent(pathName));
        } catch {
          return false; // not valid percent-encoding, so not one of our file names
        }
      },
    });
  };
}
