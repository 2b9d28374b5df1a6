import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import type { KioskEnrolment } from './kiosk-config';
import { EnrolmentCodeRefused, enrolledProgress, PlatformUnreachable, type KioskEnrolmentAgent } from './kiosk-enrolment';

const CodeBody = Type.Object({ code: Type.String({ minLength: 4, maxLength: 200 }) }, { additionalProperties: false });

function alreadyEnrolled(reply: FastifyReply) {
  return reply.code(409).send({ statusCode: 409, error: 'Conflict', message: 'This kiosk is already enrolled.' });
}

/**
 * What the renderer's enrolment screen calls: the progress of the kiosk's enrolment request, an
 * enrolment code staff scanned or typed, and a new code after a refusal. `agent` is null for a
 * kiosk that started enrolled; `current` is the enrolment in force.
 */
export function kioskEnrolmentRoutes(agent: KioskEnrolmentAgent | null, current: () => KioskEnrolment | null): FastifyPluginAsync {
  return async (app) => {
    app.get('/kiosk/enrolment', async () => {
      const enrolment = current();
      return enrolment ? enrolledProgress(enrolment) : agent?.progress();
    });

    app.post<{ Body: Static<typeof CodeBody> }>('/kiosk/enrolment/code', { schema: { body: CodeBody } }, async (request, reply) => {
      if (current() || !agent) return alreadyEnrolled(reply);
      try {
        const enrolled = await agent.enrolWithCode(request.body.code);
        return reply.code(201).send({ kioskId: enrolled.kioskId, siteId: enrolled.siteId });
      } catch (error) {
        // The platform's own words for an unknown (404), used (409) or expired (410) code.
        if (error instanceof EnrolmentCodeRefused) {
          return reply.code(error.statusCode).send({ statusCode: error.statusCode, error: 'Refused', message: error.message });
        }
        if (error instanceof PlatformUnreachable) {
          return reply.code(503).send({ statusCode: 503, error: 'Platform Unreachable', message: error.message });
        }
        throw error;
      }
    });

    app.post('/kiosk/enrolment/new-code', async (_request, reply) => {
      if (current() || !agent) return alreadyEnrolled(reply);
      agent.requestNewCode();
      return reply.code(202).send(agent.progress());
    });
  };
}
