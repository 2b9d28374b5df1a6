import type { FastifyPluginAsync, preHandlerAsyncHookHandler } from 'fastify';
import {
  CourseImportRoutes,
  CourseImportStatus,
  CourseSourcesAnswer,
  StartCourseImportBody,
} from '../../../sync/protocol/course-import-api';
import { listCourseSources, type CourseDriveOptions } from './course-drives';
import { CourseImports, ImportRefused } from './course-imports';

/**
 * Staff import courses from a drive: list the drives and their exports, start an import of the
 * chosen courses, follow it. Staff-only: importing fills the kiosk's disk.
 */
export function courseImportRoutes(imports: CourseImports, drives: CourseDriveOptions, staffOnly: preHandlerAsyncHookHandler): FastifyPluginAsync {
  return async (app) => {
    app.get(CourseImportRoutes.sources, { preHandler: staffOnly, schema: { response: { 200: CourseSourcesAnswer } } }, async () => ({
      sources: await listCourseSources(drives),
    }));

    app.get(CourseImportRoutes.imports, { preHandler: staffOnly, schema: { response: { 200: CourseImportStatus } } }, async () => imports.current());

    app.post<{ Body: StartCourseImportBody }>(
      CourseImportRoutes.imports,
      { preHandler: staffOnly, schema: { body: StartCourseImportBody, response: { 202: CourseImportStatus } } },
      async (request, reply) => {
        try {
          return reply.code(202).send(await imports.start(request.body.exportPath, request.body.courseIds));
        } catch (error) {
          if (error instanceof ImportRefused) {
            return reply.code(error.statusCode).send({ statusCode: error.statusCode, error: 'Refused', message: error.message });
          }
          throw error;
        }
      },
    );
  };
}
