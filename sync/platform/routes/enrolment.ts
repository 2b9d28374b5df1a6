import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from 'typebox';
import type pg from 'pg';
import { EnrolmentRefused, enrolKiosk } from '../enrolment';

const EnrolBody = Type.Object(
  { code: Type.String({ minLength: 4, maxLength: 100 }), kioskName: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

/** The one unauthenticated write: the enrolment code is the kiosk's proof that staff sent it. */
export function enrolmentRoutes(pool: pg.Pool): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: Static<typeof EnrolBody> }>('/enrol', { schema: { body: EnrolBody } }, async (request, reply) => {
      try {
        return reply.code(201).send(await enrolKiosk(pool, request.body.code, request.body.kioskName));
      } catch (error) {
        if (!(error instanceof EnrolmentRefused)) throw error;
        const label = { 404: 'Not Found', 409: 'Conflict', 410: 'Gone' }[error.statusCode];
        return reply.code(error.statusCode).send({ statusCode: error.statusCode, error: label, message: error.message });
      }
    });
  };
}
