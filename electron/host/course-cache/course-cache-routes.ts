import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import { Type } from 'typebox';
import { CoursePackageError, parseCoursePackage } from '../../../sync/protocol/course-package';
import type { CourseCache } from './course-cache';
import { CourseDownloads } from './course-downloads';

/**
 * The renderer's view of the course cache: lesson files at /content/<course>/<file> with HTTP
 * Range (the player seeks without reading the whole file), and routes to start a course's
 * download and follow its progress. Only files of complete, verified courses are served.
 * Staff manage the cache through the list, pin and remove routes.
 */
export function courseCacheRoutes(cache: CourseCache, packageBaseUrl: string): FastifyPluginAsync {
  return async (app) => {
    const downloads = new CourseDownloads(cache, packageBaseUrl);
    const params = { schema: { params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } };

    const listSchema = {
      response: {
        200: Type.Object({
          usedBytes: Type.Integer(),
          budgetBytes: Type.Integer(),
          courses: Type.Array(
            Type.Object({
              id: Type.String(),
              state: Type.Union([Type.Literal('absent'), Type.Literal('downloading'), Type.Literal('ready'), Type.Literal('failed')]),
              receivedBytes: Type.Integer(),
              totalBytes: Type.Integer(),
              bytes: Type.Integer(),
              pinned: Type.Boolean(),
              lastUsedAt: Type.Union([Type.String(), Type.Null()]),
              message: Type.Optional(Type.String()),
            }),
          ),
        }),
      },
    };

    app.get('/kiosk/courses', { schema: listSchema }, async () => {
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

    app.put(
      '/kiosk/courses/:id/pin',
      { schema: { ...params.schema, body: Type.Object({ pinned: Type.Boolean() }, { additionalProperties: false }) } },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        if (!cache.course(id)) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `Course ${id} is not on this kiosk; download it first.` });
        const { pinned } = request.body as { pinned: boolean };
        await cache.pin(id, pinned);
        return { id, pinned };
      },
    );

    app.delete('/kiosk/courses/:id', params, async (request, reply) => {
      const { id } = request.params as { id: string };
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

    app.get('/kiosk/courses/:id', params, async (request) => downloads.statusOf((request.params as { id: string }).id));

    app.post('/kiosk/courses/:id/download', { ...params, bodyLimit: 256 * 1024 }, async (request, reply) => {
      let manifest;
      try {
        manifest = parseCoursePackage(request.body, 'the course manifest');
      } catch (error) {
        if (error instanceof CoursePackageError) return reply.code(422).send({ statusCode: 422, error: 'Invalid', message: error.message });
        throw error;
      }
      if (manifest.id !== (request.params as { id: string }).id) {
        return reply.code(422).send({ statusCode: 422, error: 'Invalid', message: 'The manifest is for another course.' });
      }
      const current = downloads.statusOf(manifest.id);
      if (current.state === 'ready' && cache.course(manifest.id)?.manifest.version === manifest.version) {
        await cache.touch(manifest.id);
        return current;
      }
      void downloads.start(manifest);
      return reply.code(202).send(downloads.statusOf(manifest.id));
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
