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
 */
export function courseCacheRoutes(cache: CourseCache, packageBaseUrl: string): FastifyPluginAsync {
  return async (app) => {
    const downloads = new CourseDownloads(cache, packageBaseUrl);
    const params = { schema: { params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } };

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
