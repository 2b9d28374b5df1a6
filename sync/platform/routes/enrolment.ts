import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import type pg from 'pg';
import { Id } from '../../protocol/common';
import { EnrolmentRefused, enrolKiosk } from '../enrolment';
import { createEnrolmentRequest, pollEnrolmentRequest } from '../enrolment-requests';

const KioskName = Type.String({ minLength: 1, maxLength: 100 });

const EnrolBody = Type.Object({ code: Type.String({ minLength: 4, maxLength: 100 }), kioskName: KioskName }, { additionalProperties: false });
const EnrolmentRequestBody = Type.Object({ kioskName: KioskName }, { additionalProperties: false });
const EnrolmentRequestParams = Type.Object({ id: Id });
const PollBody = Type.Object({ pollSecret: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

const STATUS_LABELS = { 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 410: 'Gone' } as const;

async function answerRefusal(reply: FastifyReply, error: unknown) {
  if (!(error instanceof EnrolmentRefused)) throw error;
  return reply.code(error.statusCode).send({ statusCode: error.statusCode, error: STATUS_LABELS[error.statusCode], message: error.message });
}

/**
 * The unauthenticated writes. An enrolment code is the kiosk's proof that staff sent it; an
 * enrolment request proves nothing until an admin approves it, and then only the holder of its
 * poll secret can collect the credential.
 */
export function enrolmentRoutes(pool: pg.Pool): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: Static<typeof EnrolBody> }>('/enrol', { schema: { body: EnrolBody } }, async (request, reply) => {
      try {
        return reply.code(201).send(await enrolKiosk(pool, request.body.code, request.body.kioskName));
      } catch (error) {
        return answerRefusal(reply, error);
      }
    });

    app.post<{ Body: Static<typeof EnrolmentRequestBody> }>('/enrol/requests', { schema: { body: EnrolmentRequestBody } }, async (request, reply) => {
      const created = await createEnrolmentRequest(pool, request.body.kioskName);
      return reply.code(201).send({ ...created, expiresAt: created.expiresAt.toISOString() });
    });

    app.post<{ Params: Static<typeof EnrolmentRequestParams>; Body: Static<typeof PollBody> }>(
      '/enrol/requests/:id/poll',
      { schema: { params: EnrolmentRequestParams, body: PollBody } },
      async (request, reply) => {
        try {
          return await pollEnrolmentRequest(pool, request.params.id, request.body.pollSecret);
        } catch (error) {
          return answerRefusal(reply, error);
        }
      },
    );
  };
}
