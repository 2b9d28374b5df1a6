import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { EnrolmentCodeAnswer, EnrolmentCodeBody, EnrolmentProgress, ErrorAnswer, KioskHostRoutes } from '../../sync/protocol/kiosk-host-api';
import type { KioskEnrolment } from './kiosk-config';
import { EnrolmentCodeRefused, enrolledProgress, PlatformUnreachable, type KioskEnrolmentAgent } from './kiosk-enrolment';
import type { RecordJournal } from './record-journal';

function alreadyEnrolled(reply: FastifyReply) {
  return reply.code(409).send({ statusCode: 409, error: 'Conflict', message: 'This kiosk is already enrolled.' });
}

/**
 * What the renderer's enrolment screen calls: the progress of the kiosk's enrolment request, an
 * enrolment code staff scanned or typed, and a new code after a refusal. `agent` is null for a
 * kiosk that started enrolled; `current` is the enrolment in force. The progress says how many
 * journaled records still wait for the platform, so the screen can warn before a re-enrolment.
 */
export function kioskEnrolmentRoutes(agent: KioskEnrolmentAgent | null, current: () => KioskEnrolment | null, journal: RecordJournal): FastifyPluginAsync {
  return async (app) => {
    app.get(KioskHostRoutes.enrolment, { schema: { response: { 200: EnrolmentProgress } } }, async () => {
      const enrolment = current();
      const progress = enrolment ? enrolledProgress(enrolment) : agent?.progress();
      // buildKioskHost makes an agent for every kiosk without an enrolment.
      if (!progress) throw new Error('This kiosk has neither an enrolment nor a way to get one.');
      return { ...progress, waitingRecords: journal.waitingCount() };
    });

    app.post<{ Body: EnrolmentCodeBody }>(
      KioskHostRoutes.enrolmentCode,
      { schema: { body: EnrolmentCodeBody, response: { 201: EnrolmentCodeAnswer, '4xx': ErrorAnswer, '5xx': ErrorAnswer } } },
      async (request, reply) => {
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
      },
    );

    app.post(KioskHostRoutes.enrolmentNewCode, async (_request, reply) => {
      if (current() || !agent) return alreadyEnrolled(reply);
      agent.requestNewCode();
      return reply.code(202).send({ ...agent.progress(), waitingRecords: journal.waitingCount() });
    });
  };
}
