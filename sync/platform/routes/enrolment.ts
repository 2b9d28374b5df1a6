import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Static } from 'typebox';
import type pg from 'pg';
import { EnrolBody, EnrolmentPollBody, EnrolmentRequestBody, EnrolmentRequestParams } from '../../protocol/enrolment';
import { EnrolmentRefused, enrolKiosk } from '../enrolment';
import { createEnrolmentRequest, pollEnrolmentRequest } from '../enrolment-requests';
import { ENROLMENT_RATE_LIMITS } from './enrolment-rate-limits';

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
    app.post<{ Body: Static<typeof EnrolBody> }>('/enrol', { schema: { body: EnrolBody }, config: { rateLimit: ENROLMENT_RATE_LIMITS.enrol } }, async (request, reply) => {
      try {
        return reply.code(201).send(await enrolKiosk(pool, request.body.code, { kioskName: request.body.kioskName, bundlePublicKey: request.body.bundlePublicKey }));
      } catch (error) {
        return answerRefusal(reply, error);
      }
    });

    app.post<{ Body: Static<typeof EnrolmentRequestBody> }>(
      '/enrol/requests',
      { schema: { body: EnrolmentRequestBody }, config: { rateLimit: ENROLMENT_RATE_LIMITS.enrol } },
      async (request, reply) => {
        const created = await createEnrolmentRequest(pool, request.body);
        return reply.code(201).send({ ...created, expiresAt: created.expiresAt.toISOString() });
      },
    );

    app.post<{ Params: Static<typeof EnrolmentRequestParams>; Body: Static<typeof EnrolmentPollBody> }>(
      '/enrol/requests/:id/poll',
      { schema: { params: EnrolmentRequestParams, body: EnrolmentPollBody }, config: { rateLimit: ENROLMENT_RATE_LIMITS.poll } },
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
