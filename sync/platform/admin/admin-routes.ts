import type { FastifyPluginAsync } from 'fastify';
import type { Static } from 'typebox';
import type pg from 'pg';
import { CoursePackageError } from '../../protocol/course-package';
import { createEnrolmentCode, revokeKiosk } from '../enrolment';
import {
  approveEnrolmentRequest,
  EnrolmentRequestUnanswerable,
  pendingEnrolmentRequests,
  refuseEnrolmentRequest,
  type PendingEnrolmentRequest,
} from '../enrolment-requests';
import { adminAuthentication } from './admin-auth';
import {
  ApproveEnrolmentRequestBody,
  ClassSessionStatusBody,
  CourseManifestBody,
  EnrolmentCodeBody,
  KioskParams,
  LearnersCsvBody,
  LedgerConfirmBody,
  LedgerRecomputeBody,
  RecordParams,
  ReviewQuery,
  NewClassSessionBody,
  NewSiteBody,
  ReportParams,
  RefuseEnrolmentRequestBody,
  ReportQuery,
  SerialParams,
  IssuerKeyParams,
  RotateIssuerKeyBody,
  SessionParams,
  SignedCoursesBody,
  SiteParams,
} from './admin-schemas';
import { cardSheetHtml, cardsForSite, revokeCard } from './cards';
import { listIssuerKeys, retireIssuerKey, rotateIssuerKey } from './issuer-keys';
import { approveProposedSession, createClassSession, proposedSessions, refuseProposedSession, setClassSessionStatus } from './class-sessions';
import { CourseVersionNotNewer, importCourseManifest } from './courses';
import { CourseNotInCatalog, signedCourseManifests } from './course-export';
import { confirmLedgerEntries } from './ledger';
import { recomputeLedger } from './ledger-recompute';
import { approveHeldRecord, heldRecords, refusedRows, refuseHeldRecord } from './review';
import { importLearnersCsv } from './learners-import';
import { attendanceReportCsv, creditsReportCsv } from './reports';
import { AdminConflict, AdminNotFound, createSite } from './sites';
import { learningRecordStatements } from './xapi';
import { kiosksWithHealth } from './kiosk-health';
import { createOperator } from './operators';
import { NewOperatorBody } from '../../protocol/console-api';
import { BundleRefused } from '../../protocol/record-bundle';
import { importRecordBundle } from '../record-bundles';
import { acceptBundleBytes, BUNDLE_CONTENT_TYPE, RECORD_BUNDLE_ADMIN_PATH, sendBundleRefusal } from '../routes/record-bundles';

function statusFor(error: unknown): number | null {
  if (error instanceof AdminNotFound) return 404;
  if (error instanceof EnrolmentRequestUnanswerable) return error.reason === 'unknown' ? 404 : 409;
  if (error instanceof AdminConflict || error instanceof CourseVersionNotNewer) return 409;
  if (error instanceof RangeError || error instanceof CoursePackageError) return 400;
  return null;
}

function enrolmentRequestJson(request: PendingEnrolmentRequest) {
  return { ...request, createdAt: request.createdAt.toISOString(), expiresAt: request.expiresAt.toISOString() };
}

function reportFilter(query: ReportQuery) {
  return { siteId: query.siteId, fromDay: query.from, toDay: query.to };
}

/** The platform operators' API; the CLI calls the same functions without HTTP. */
export function adminRoutes(pool: pg.Pool, adminToken: string): FastifyPluginAsync {
  return async (app) => {
    app.addHook('preHandler', adminAuthentication(adminToken));
    app.setErrorHandler((error, _request, reply) => {
      const status = statusFor(error);
      if (status) return reply.code(status).send({ statusCode: status, error: 'Rejected', message: (error as Error).message });
      throw error;
    });

    app.post<{ Body: Static<typeof NewSiteBody> }>('/admin/sites', { schema: { body: NewSiteBody } }, async (request, reply) => {
      await createSite(pool, request.body);
      return reply.code(201).send({ id: request.body.id });
    });

    app.post<{ Body: Static<typeof EnrolmentCodeBody> }>('/admin/enrolment-codes', { schema: { body: EnrolmentCodeBody } }, async (request, reply) => {
      const { siteId, ttlHours } = request.body;
      const { rows } = await pool.query('select 1 from sites where id = $1', [siteId]);
      if (rows.length === 0) throw new AdminNotFound(`Site ${siteId} does not exist.`);
      const code = await createEnrolmentCode(pool, siteId, ttlHours);
      return reply.code(201).send({ ...code, expiresAt: code.expiresAt.toISOString() });
    });

    app.get('/admin/enrolment-requests', async () => (await pendingEnrolmentRequests(pool)).map(enrolmentRequestJson));

    app.post<{ Body: Static<typeof ApproveEnrolmentRequestBody> }>(
      '/admin/enrolment-requests/approve',
      { schema: { body: ApproveEnrolmentRequestBody } },
      async (request) => {
        const approved = await approveEnrolmentRequest(pool, request.body.userCode, request.body.siteId);
        return { ...enrolmentRequestJson(approved), siteId: approved.siteId, status: 'approved' };
      },
    );

    app.post<{ Body: Static<typeof RefuseEnrolmentRequestBody> }>(
      '/admin/enrolment-requests/refuse',
      { schema: { body: RefuseEnrolmentRequestBody } },
      async (request) => ({ ...enrolmentRequestJson(await refuseEnrolmentRequest(pool, request.body.userCode)), status: 'refused' }),
    );

    app.post<{ Body: Static<typeof NewOperatorBody> }>('/admin/operators', { schema: { body: NewOperatorBody } }, async (request, reply) =>
      reply.code(201).send(await createOperator(pool, request.body)),
    );

    app.get<{ Querystring: ReportQuery }>('/admin/kiosks', { schema: { querystring: ReportQuery } }, async (request) =>
      (await kiosksWithHealth(pool, request.query.siteId ? [request.query.siteId] : null)).map((k) => ({
        ...k,
        lastSeenAt: k.lastSeenAt?.toISOString() ?? null,
        heartbeatReceivedAt: k.heartbeatReceivedAt?.toISOString() ?? null,
      })),
    );

    app.post<{ Params: Static<typeof KioskParams> }>('/admin/kiosks/:kioskId/revoke', { schema: { params: KioskParams } }, async (request) => {
      const { rowCount } = await pool.query('select 1 from kiosks where id = $1', [request.params.kioskId]);
      if (!rowCount) throw new AdminNotFound(`Kiosk ${request.params.kioskId} does not exist.`);
      await revokeKiosk(pool, request.params.kioskId);
      return { kioskId: request.params.kioskId, status: 'revoked' };
    });

    app.post<{ Body: Static<typeof CourseManifestBody> }>('/admin/courses', { schema: { body: CourseManifestBody } }, async (request, reply) => {
      const result = await importCourseManifest(pool, request.body);
      return reply.code(result.replaced ? 200 : 201).send({ id: result.id, version: result.version });
    });

    // The running platform signs manifests for `courses export` (cli.ts), which owns no database then.
    app.post<{ Body: Static<typeof SignedCoursesBody> }>('/admin/courses/signed', { schema: { body: SignedCoursesBody } }, async (request) => {
      try {
        return await signedCourseManifests(pool, request.body.courseIds);
      } catch (error) {
        if (error instanceof CourseNotInCatalog) throw new AdminNotFound(error.message);
        throw error;
      }
    });

    app.post<{ Body: Static<typeof LearnersCsvBody> }>('/admin/learners/import', { schema: { body: LearnersCsvBody }, bodyLimit: 11 * 1024 * 1024 }, async (request) =>
      importLearnersCsv(pool, request.body.csv),
    );

    app.post<{ Params: Static<typeof SiteParams> }>('/admin/sites/:siteId/cards', { schema: { params: SiteParams } }, async (request) => {
      const cards = await cardsForSite(pool, request.params.siteId);
      return cards.map((c) => ({ ...c, expiresAt: c.expiresAt.toISOString() }));
    });

    app.get<{ Params: Static<typeof SiteParams> }>('/admin/sites/:siteId/cards.html', { schema: { params: SiteParams } }, async (request, reply) => {
      const html = await cardSheetHtml(request.params.siteId, await cardsForSite(pool, request.params.siteId));
      return reply.type('text/html; charset=utf-8').send(html);
    });

    app.post<{ Params: Static<typeof SerialParams> }>('/admin/cards/:serial/revoke', { schema: { params: SerialParams } }, async (request) => {
      await revokeCard(pool, request.params.serial);
      return { serial: request.params.serial, status: 'revoked' };
    });

    app.get('/admin/issuer-keys', async () => (await listIssuerKeys(pool)).map((k) => ({ ...k, createdAt: k.createdAt.toISOString() })));

    app.post<{ Body: Static<typeof RotateIssuerKeyBody> }>('/admin/issuer-keys/rotate', { schema: { body: RotateIssuerKeyBody } }, async (request, reply) =>
      reply.code(201).send(await rotateIssuerKey(pool, request.body.id)),
    );

    app.post<{ Params: Static<typeof IssuerKeyParams> }>('/admin/issuer-keys/:keyId/retire', { schema: { params: IssuerKeyParams } }, async (request) =>
      retireIssuerKey(pool, request.params.keyId),
    );

    app.post<{ Body: Static<typeof NewClassSessionBody> }>('/admin/class-sessions', { schema: { body: NewClassSessionBody } }, async (request, reply) =>
      reply.code(201).send(await createClassSession(pool, request.body)),
    );

    app.post<{ Params: Static<typeof SessionParams>; Body: Static<typeof ClassSessionStatusBody> }>(
      '/admin/class-sessions/:sessionId/status',
      { schema: { params: SessionParams, body: ClassSessionStatusBody } },
      async (request) => {
        await setClassSessionStatus(pool, request.params.sessionId, request.body.status);
        return { id: request.params.sessionId, status: request.body.status };
      },
    );

    // Classes kiosks made offline: proposed until an operator approves (releasing their held check-ins) or refuses them.
    app.get<{ Querystring: ReviewQuery }>('/admin/class-sessions/proposed', { schema: { querystring: ReviewQuery } }, async (request) =>
      proposedSessions(pool, request.query.siteId),
    );

    app.post<{ Params: Static<typeof SessionParams> }>('/admin/class-sessions/:sessionId/approve', { schema: { params: SessionParams } }, async (request) => ({
      id: request.params.sessionId,
      approval: 'approved',
      ...(await approveProposedSession(pool, request.params.sessionId)),
    }));

    app.post<{ Params: Static<typeof SessionParams> }>('/admin/class-sessions/:sessionId/refuse', { schema: { params: SessionParams } }, async (request) => ({
      id: request.params.sessionId,
      approval: 'refused',
      ...(await refuseProposedSession(pool, request.params.sessionId)),
    }));

    app.post<{ Body: Static<typeof LedgerConfirmBody> }>('/admin/ledger/confirm', { schema: { body: LedgerConfirmBody } }, async (request) => ({
      confirmed: await confirmLedgerEntries(pool, request.body),
    }));

    app.post<{ Body: Static<typeof LedgerRecomputeBody> }>('/admin/ledger/recompute', { schema: { body: LedgerRecomputeBody } }, async (request) =>
      recomputeLedger(pool, { apply: request.body.apply }),
    );

    // The review queue: records stored but held (with their reason codes) until an operator decides.
    app.get<{ Querystring: ReviewQuery }>('/admin/review', { schema: { querystring: ReviewQuery } }, async (request) =>
      heldRecords(pool, request.query.siteId),
    );

    app.post<{ Params: Static<typeof RecordParams> }>('/admin/review/:recordId/approve', { schema: { params: RecordParams } }, async (request) => ({
      id: request.params.recordId,
      status: 'approved',
      ...(await approveHeldRecord(pool, request.params.recordId)),
    }));

    app.post<{ Params: Static<typeof RecordParams> }>('/admin/review/:recordId/refuse', { schema: { params: RecordParams } }, async (request) => ({
      id: request.params.recordId,
      status: 'refused',
      ...(await refuseHeldRecord(pool, request.params.recordId)),
    }));

    // Rows kiosks pushed that the platform could not store, kept as received.
    app.get<{ Querystring: ReviewQuery }>('/admin/refusals', { schema: { querystring: ReviewQuery } }, async (request) =>
      refusedRows(pool, request.query.siteId),
    );

    app.get<{ Params: Static<typeof ReportParams>; Querystring: ReportQuery }>(
      '/admin/reports/:report.csv',
      { schema: { params: ReportParams, querystring: ReportQuery } },
      async (request, reply) => {
        const filter = reportFilter(request.query);
        const csv = request.params.report === 'attendance' ? await attendanceReportCsv(pool, filter) : await creditsReportCsv(pool, filter);
        return reply.type('text/csv; charset=utf-8').send(csv);
      },
    );

    // A kiosk's record bundle carried in by hand: answered with the receipt to carry back.
    acceptBundleBytes(app);
    app.post<{ Body: Buffer }>(RECORD_BUNDLE_ADMIN_PATH, async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) return reply.code(415).send({ statusCode: 415, error: 'Unsupported Media Type', message: `Send the bundle file as ${BUNDLE_CONTENT_TYPE}.` });
      try {
        const imported = await importRecordBundle(pool, new Uint8Array(request.body));
        return reply
          .header('x-yuexue-bundle-kiosk', imported.kioskId)
          .header('x-yuexue-bundle-seq', String(imported.bundleSeq))
          .header('x-yuexue-bundle-records', String(imported.recordCount))
          .type(BUNDLE_CONTENT_TYPE)
          .send(Buffer.from(imported.receipt));
      } catch (error) {
        if (error instanceof BundleRefused) return sendBundleRefusal(reply, error);
        throw error;
      }
    });

    app.get<{ Querystring: ReportQuery }>('/admin/xapi/statements', { schema: { querystring: ReportQuery } }, async (request) => ({
      statements: await learningRecordStatements(pool, reportFilter(request.query)),
    }));
  };
}
