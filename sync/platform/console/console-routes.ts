import { existsSync } from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrfProtection from '@fastify/csrf-protection';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import type { Static } from 'typebox';
import {
  ApproveEnrolmentBody,
  CardSerialParams,
  ClassSessionQuery,
  CSRF_HEADER,
  LearnerSearchQuery,
  LearnersImportBody,
  LedgerRangeBody,
  NewClassSessionsBody,
  ProposalDecisionBody,
  NewOperatorBody,
  RefuseEnrolmentBody,
  ReportCsvParams,
  ReportRangeQuery,
  ReviewDecisionBody,
  SignInBody,
  SiteIdParams,
  SiteQuery,
  type ConsoleSession,
} from '../../protocol/console-api';
import { Code } from '../../protocol/common';
import { Type } from 'typebox';
import { revokeKiosk } from '../enrolment';
import {
  approveEnrolmentRequest,
  EnrolmentRequestUnanswerable,
  pendingEnrolmentRequests,
  refuseEnrolmentRequest,
} from '../enrolment-requests';
import { cardSheetHtml, cardsForSite, revokeCard } from '../admin/cards';
import { kiosksWithHealth } from '../admin/kiosk-health';
import { cardHomeSite, issueNewCard } from '../admin/learner-cards';
import { searchSiteLearners } from '../admin/learner-search';
import { importLearnersCsv } from '../admin/learners-import';
import { confirmLedgerRange, ledgerRangeSummary } from '../admin/ledger-range';
import { createOperator, listOperators, type Operator } from '../admin/operators';
import { reportSummary } from '../admin/report-summary';
import { attendanceReportCsv, creditsReportCsv } from '../admin/reports';
import { AdminConflict, AdminNotFound, createSite, listSites } from '../admin/sites';
import { ClassSessionOverlap, createClassSessions, siteTimetable } from '../admin/timetable';
import { approveProposedSession, proposedSessions, refuseProposedSession } from '../admin/class-sessions';
import { learningRecordStatements } from '../admin/xapi';
import { CourseVersionNotNewer } from '../admin/courses';
import { sessionOperator, signIn, signOut, SESSION_TTL_MS } from './operator-sessions';
import type { ReviewQueue } from './review-queue';

export const SESSION_COOKIE = 'yx_console';
const COOKIE_PATH = '/console';

export interface ConsoleOptions {
  /** The built console app (dist/console); without it the API is served but no pages. */
  appDir?: string | undefined;
  /** The platform's review queue (platform-review-queue.ts); tests may hand in a stand-in. */
  reviewQueue: ReviewQueue;
}

/** A console request refused with a code the console translates (console/i18n) and a message for scripts. */
export class ConsoleRefusal extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    operator: Operator | null;
  }
}

function signedIn(request: FastifyRequest): Operator {
  if (!request.operator) throw new ConsoleRefusal(401, 'signed-out', 'Sign in first.');
  return request.operator;
}

/** A site manager may act only on their own sites; a province admin on every site that exists. */
function requireSite(request: FastifyRequest, siteId: string): Operator {
  const operator = signedIn(request);
  if (operator.siteIds.includes(siteId)) return operator;
  if (operator.role === 'province-admin') throw new ConsoleRefusal(404, 'unknown-site', `Site ${siteId} does not exist.`);
  throw new ConsoleRefusal(403, 'other-site', `Site ${siteId} is not one of your sites.`);
}

function requireProvinceAdmin(request: FastifyRequest): Operator {
  const operator = signedIn(request);
  if (operator.role !== 'province-admin') throw new ConsoleRefusal(403, 'province-admin-only', 'Only a province admin may do this.');
  return operator;
}

/** The sites a query covers: the one asked for (if the operator may see it), else all of theirs. */
function sitesFor(request: FastifyRequest, siteId: string | undefined): string[] {
  return siteId ? (requireSite(request, siteId), [siteId]) : signedIn(request).siteIds;
}

/** Reports and exports over one site, or over every site for a province admin. */
function reportSite(request: FastifyRequest, siteId: string | undefined): string | undefined {
  if (siteId) return requireSite(request, siteId), siteId;
  const operator = signedIn(request);
  if (operator.role === 'province-admin') return undefined;
  if (operator.siteIds.length === 1) return operator.siteIds[0];
  throw new ConsoleRefusal(400, 'choose-site', 'Choose one of your sites.');
}

function refusalFor(error: unknown): ConsoleRefusal | null {
  if (error instanceof ConsoleRefusal) return error;
  const message = (error as Error).message;
  if (error instanceof ClassSessionOverlap) return new ConsoleRefusal(409, 'session-overlap', message);
  if (error instanceof EnrolmentRequestUnanswerable) {
    return new ConsoleRefusal(error.reason === 'unknown' ? 404 : error.reason === 'expired' ? 410 : 409, `enrolment-${error.reason}`, message);
  }
  if (error instanceof AdminNotFound) return new ConsoleRefusal(404, 'not-found', message);
  if (error instanceof AdminConflict || error instanceof CourseVersionNotNewer) return new ConsoleRefusal(409, 'conflict', message);
  if (error instanceof RangeError) return new ConsoleRefusal(400, 'bad-request', message);
  const err = error as { code?: string; statusCode?: number; validation?: unknown };
  if (err.code === 'FST_CSRF_MISSING_SECRET' || err.code === 'FST_CSRF_INVALID_TOKEN') {
    return new ConsoleRefusal(403, 'csrf', 'This request did not carry this session\'s CSRF token; reload the console.');
  }
  if (err.validation || (err.statusCode && err.statusCode < 500)) return new ConsoleRefusal(err.statusCode ?? 400, 'bad-request', message);
  return null;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * The operators' console: `/console/` (the web app) and `/console/api/` (its API). Operators sign
 * in with their own account; the session is a random token in an HttpOnly, SameSite=Strict cookie
 * whose hash is kept in the database (the platform stays stateless), and every call that changes
 * anything must carry the CSRF token (@fastify/csrf-protection, secret in its own cookie).
 */
export function consoleRoutes(pool: pg.Pool, options: ConsoleOptions): FastifyPluginAsync {
  return async (app) => {
    await app.register(fastifyCookie);
    await app.register(fastifyCsrfProtection, {
      cookieKey: 'yx_console_csrf',
      cookieOpts: { path: COOKIE_PATH, sameSite: 'strict', httpOnly: true, secure: 'auto' },
      getToken: (request) => request.headers[CSRF_HEADER] as string | undefined,
    });
    app.decorateRequest('operator', null);

    app.setErrorHandler((error, request, reply) => {
      const refusal = refusalFor(error);
      if (!refusal) {
        request.log.error(error);
        return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', code: 'internal', message: 'The platform could not process this request.' });
      }
      return reply.code(refusal.statusCode).send({ statusCode: refusal.statusCode, error: 'Refused', code: refusal.code, message: refusal.message });
    });

    // The API answers are private to one operator: never cached, never framed.
    app.addHook('onSend', async (request, reply) => {
      if (request.url.startsWith('/console/api/')) reply.header('cache-control', 'no-store');
      reply.header('x-frame-options', 'DENY');
      // Scripts only from the console's own files; chart.js and React set styles through the CSSOM.
      reply.header(
        'content-security-policy',
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      );
      reply.header('x-content-type-options', 'nosniff');
    });

    app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/console/api/')) return;
      const token = request.cookies[SESSION_COOKIE];
      request.operator = token ? await sessionOperator(pool, token) : null;
    });
    // Sign-in included: a forged sign-in could otherwise sign a victim into the attacker's account.
    app.addHook('onRequest', (request, reply, done) => {
      if (!request.url.startsWith('/console/api/') || request.method === 'GET' || request.method === 'HEAD') return done();
      app.csrfProtection(request, reply, done);
    });

    const sessionAnswer = (reply: FastifyReply, operator: Operator): ConsoleSession => ({ operator, csrfToken: reply.generateCsrf() });

    app.get('/console/api/csrf', async (_request, reply) => ({ csrfToken: reply.generateCsrf() }));

    app.post<{ Body: Static<typeof SignInBody> }>('/console/api/sign-in', { schema: { body: SignInBody } }, async (request, reply) => {
      const result = await signIn(pool, request.body.login, request.body.password);
      if (!result.ok) {
        if (result.reason === 'locked') {
          reply.header('retry-after', String(result.retryAfterSeconds));
          throw new ConsoleRefusal(429, 'locked', `Too many wrong passwords: try again in ${result.retryAfterSeconds} seconds.`);
        }
        throw new ConsoleRefusal(401, 'wrong-password', 'That login and password do not match.');
      }
      reply.setCookie(SESSION_COOKIE, result.sessionToken, {
        path: COOKIE_PATH,
        httpOnly: true,
        sameSite: 'strict',
        secure: 'auto',
        maxAge: SESSION_TTL_MS / 1000,
      });
      return sessionAnswer(reply, result.operator);
    });

    app.post('/console/api/sign-out', async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await signOut(pool, token);
      reply.clearCookie(SESSION_COOKIE, { path: COOKIE_PATH });
      return { signedOut: true };
    });

    app.get('/console/api/session', async (request, reply) => sessionAnswer(reply, signedIn(request)));

    app.get('/console/api/sites', async (request) => {
      const operator = signedIn(request);
      return (await listSites(pool)).filter((s) => operator.siteIds.includes(s.id));
    });

    app.post<{ Body: { id: string; name: string } }>(
      '/console/api/sites',
      { schema: { body: Type.Object({ id: Code, name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }) } },
      async (request, reply) => {
        requireProvinceAdmin(request);
        await createSite(pool, request.body);
        return reply.code(201).send(request.body);
      },
    );

    app.get('/console/api/operators', async (request) => {
      requireProvinceAdmin(request);
      return listOperators(pool);
    });

    app.post<{ Body: Static<typeof NewOperatorBody> }>('/console/api/operators', { schema: { body: NewOperatorBody } }, async (request, reply) => {
      requireProvinceAdmin(request);
      return reply.code(201).send(await createOperator(pool, request.body));
    });

    app.get<{ Querystring: Static<typeof SiteQuery> }>('/console/api/kiosks', { schema: { querystring: SiteQuery } }, async (request) =>
      (await kiosksWithHealth(pool, sitesFor(request, request.query.siteId))).map((k) => ({
        id: k.id,
        siteId: k.siteId,
        name: k.name,
        lastSeenAt: iso(k.lastSeenAt),
        health: k.health,
        heartbeat: k.heartbeat,
      })),
    );

    app.post<{ Params: { kioskId: string } }>(
      '/console/api/kiosks/:kioskId/revoke',
      { schema: { params: Type.Object({ kioskId: Code }) } },
      async (request) => {
        const { rows } = await pool.query<{ site_id: string }>('select site_id from kiosks where id = $1', [request.params.kioskId]);
        const siteId = rows[0]?.site_id;
        if (!siteId) throw new ConsoleRefusal(404, 'not-found', `Kiosk ${request.params.kioskId} does not exist.`);
        requireSite(request, siteId);
        await revokeKiosk(pool, request.params.kioskId);
        return { kioskId: request.params.kioskId, status: 'revoked' };
      },
    );

    // Pending requests name no site yet: every operator sees them, and approves only to their own sites.
    app.get('/console/api/enrolment-requests', async (request) => {
      signedIn(request);
      return (await pendingEnrolmentRequests(pool)).map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), expiresAt: r.expiresAt.toISOString() }));
    });

    app.post<{ Body: Static<typeof ApproveEnrolmentBody> }>(
      '/console/api/enrolment-requests/approve',
      { schema: { body: ApproveEnrolmentBody } },
      async (request) => {
        requireSite(request, request.body.siteId);
        const approved = await approveEnrolmentRequest(pool, request.body.userCode, request.body.siteId);
        return { userCode: approved.userCode, kioskName: approved.kioskName, siteId: approved.siteId, status: 'approved' };
      },
    );

    app.post<{ Body: Static<typeof RefuseEnrolmentBody> }>(
      '/console/api/enrolment-requests/refuse',
      { schema: { body: RefuseEnrolmentBody } },
      async (request) => {
        signedIn(request);
        const refused = await refuseEnrolmentRequest(pool, request.body.userCode);
        return { userCode: refused.userCode, kioskName: refused.kioskName, status: 'refused' };
      },
    );

    app.get<{ Params: Static<typeof SiteIdParams>; Querystring: Static<typeof LearnerSearchQuery> }>(
      '/console/api/sites/:siteId/learners',
      { schema: { params: SiteIdParams, querystring: LearnerSearchQuery } },
      async (request) => {
        requireSite(request, request.params.siteId);
        const found = await searchSiteLearners(pool, request.params.siteId, request.query.q ?? '', request.query.limit ?? 50);
        return found.map((l) => ({ ...l, card: l.card && { serial: l.card.serial, expiresAt: l.card.expiresAt.toISOString() } }));
      },
    );

    app.post<{ Body: Static<typeof LearnersImportBody> }>(
      '/console/api/learners/import',
      { schema: { body: LearnersImportBody }, bodyLimit: 11 * 1024 * 1024 },
      async (request) => {
        const operator = signedIn(request);
        return importLearnersCsv(pool, request.body.csv, operator.role === 'province-admin' ? undefined : { siteIds: operator.siteIds });
      },
    );

    app.post<{ Params: { learnerId: string } }>(
      '/console/api/learners/:learnerId/cards',
      { schema: { params: Type.Object({ learnerId: Code }) } },
      async (request, reply) => {
        const { rows } = await pool.query<{ home_site_id: string | null }>('select home_site_id from learners where id = $1', [request.params.learnerId]);
        const learner = rows[0];
        if (!learner) throw new ConsoleRefusal(404, 'not-found', `Learner ${request.params.learnerId} does not exist.`);
        requireSite(request, learner.home_site_id ?? '');
        const card = await issueNewCard(pool, request.params.learnerId);
        return reply.code(201).send({ serial: card.serial, expiresAt: card.expiresAt.toISOString() });
      },
    );

    app.post<{ Params: Static<typeof CardSerialParams> }>(
      '/console/api/cards/:serial/revoke',
      { schema: { params: CardSerialParams } },
      async (request) => {
        const siteId = await cardHomeSite(pool, request.params.serial);
        if (siteId === null) throw new ConsoleRefusal(404, 'not-found', `Card ${request.params.serial} does not exist.`);
        requireSite(request, siteId);
        await revokeCard(pool, request.params.serial);
        return { serial: request.params.serial, status: 'revoked' };
      },
    );

    // Issues cards to the site's learners who have none; a POST, since it signs new cards.
    app.post<{ Params: Static<typeof SiteIdParams> }>('/console/api/sites/:siteId/cards', { schema: { params: SiteIdParams } }, async (request) => {
      requireSite(request, request.params.siteId);
      const cards = await cardsForSite(pool, request.params.siteId);
      return { cards: cards.length };
    });

    app.get<{ Params: Static<typeof SiteIdParams> }>('/console/api/sites/:siteId/cards.html', { schema: { params: SiteIdParams } }, async (request, reply) => {
      requireSite(request, request.params.siteId);
      const { rows } = await pool.query<{ n: string }>(
        `select count(*) as n from learners l where l.home_site_id = $1
           and not exists (select 1 from latest_learner_cards c where c.learner_id = l.id and c.expires_at > now())`,
        [request.params.siteId],
      );
      // Printing must not sign cards on a GET: the operator issues them first.
      if (Number(rows[0]?.n) > 0) throw new ConsoleRefusal(409, 'cards-not-issued', `${rows[0]?.n} learner(s) have no card yet: issue cards first.`);
      const html = await cardSheetHtml(request.params.siteId, await cardsForSite(pool, request.params.siteId));
      return reply.type('text/html; charset=utf-8').send(html);
    });

    app.get<{ Params: Static<typeof SiteIdParams>; Querystring: Static<typeof ClassSessionQuery> }>(
      '/console/api/sites/:siteId/class-sessions',
      { schema: { params: SiteIdParams, querystring: ClassSessionQuery } },
      async (request) => {
        requireSite(request, request.params.siteId);
        const sessions = await siteTimetable(pool, request.params.siteId, request.query.from, request.query.to);
        return sessions.map((s) => ({ ...s, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString() }));
      },
    );

    app.post<{ Body: Static<typeof NewClassSessionsBody> }>(
      '/console/api/class-sessions',
      { schema: { body: NewClassSessionsBody } },
      async (request, reply) => {
        requireSite(request, request.body.siteId);
        return reply.code(201).send(await createClassSessions(pool, request.body));
      },
    );

    // Classes kiosks made offline: approving releases their held check-ins through the one credit rule.
    app.get<{ Params: Static<typeof SiteIdParams> }>('/console/api/sites/:siteId/proposed-sessions', { schema: { params: SiteIdParams } }, async (request) => {
      requireSite(request, request.params.siteId);
      return proposedSessions(pool, request.params.siteId);
    });

    app.post<{ Params: { sessionId: string }; Body: Static<typeof ProposalDecisionBody> }>(
      '/console/api/proposed-sessions/:sessionId/decide',
      { schema: { params: Type.Object({ sessionId: Type.String({ format: 'uuid' }) }), body: ProposalDecisionBody } },
      async (request) => {
        signedIn(request);
        const { rows } = await pool.query<{ site_id: string }>('select site_id from class_sessions where id = $1', [request.params.sessionId]);
        if (!rows[0]) throw new AdminNotFound(`Class session ${request.params.sessionId} does not exist.`);
        requireSite(request, rows[0].site_id);
        return request.body.decision === 'approve'
          ? approveProposedSession(pool, request.params.sessionId)
          : refuseProposedSession(pool, request.params.sessionId);
      },
    );

    const { reviewQueue } = options;

    app.get<{ Querystring: Static<typeof SiteQuery> }>('/console/api/review-queue', { schema: { querystring: SiteQuery } }, async (request) => {
      const siteIds = sitesFor(request, request.query.siteId);
      return (await reviewQueue.held(siteIds)).map((r) => ({ ...r, deviceTime: r.deviceTime.toISOString() }));
    });

    app.post<{ Querystring: Static<typeof SiteQuery>; Body: Static<typeof ReviewDecisionBody> }>(
      '/console/api/review-queue/decide',
      { schema: { querystring: SiteQuery, body: ReviewDecisionBody } },
      async (request) => {
        const siteIds = sitesFor(request, request.query.siteId);
        return { decided: await reviewQueue.decide(siteIds, request.body.decision, request.body.records) };
      },
    );

    app.get<{ Querystring: Static<typeof LedgerRangeBody> }>('/console/api/ledger', { schema: { querystring: LedgerRangeBody } }, async (request) => {
      requireSite(request, request.query.siteId);
      return ledgerRangeSummary(pool, { siteId: request.query.siteId, fromDay: request.query.from, toDay: request.query.to });
    });

    app.post<{ Body: Static<typeof LedgerRangeBody> }>('/console/api/ledger/confirm', { schema: { body: LedgerRangeBody } }, async (request) => {
      requireSite(request, request.body.siteId);
      return { confirmed: await confirmLedgerRange(pool, { siteId: request.body.siteId, fromDay: request.body.from, toDay: request.body.to }) };
    });

    app.get<{ Querystring: Static<typeof ReportRangeQuery> }>('/console/api/reports/summary', { schema: { querystring: ReportRangeQuery } }, async (request) => {
      const operator = signedIn(request);
      const siteIds = request.query.siteId ? sitesFor(request, request.query.siteId) : operator.role === 'province-admin' ? null : operator.siteIds;
      return reportSummary(pool, { siteIds, fromDay: request.query.from, toDay: request.query.to });
    });

    app.get<{ Params: Static<typeof ReportCsvParams>; Querystring: Static<typeof ReportRangeQuery> }>(
      '/console/api/reports/:report.csv',
      { schema: { params: ReportCsvParams, querystring: ReportRangeQuery } },
      async (request, reply) => {
        const filter = { siteId: reportSite(request, request.query.siteId), fromDay: request.query.from, toDay: request.query.to };
        const csv = request.params.report === 'attendance' ? await attendanceReportCsv(pool, filter) : await creditsReportCsv(pool, filter);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${request.params.report}-${filter.siteId ?? 'all'}.csv"`)
          .send(csv);
      },
    );

    app.get<{ Querystring: Static<typeof ReportRangeQuery> }>('/console/api/xapi', { schema: { querystring: ReportRangeQuery } }, async (request, reply) => {
      const filter = { siteId: reportSite(request, request.query.siteId), fromDay: request.query.from, toDay: request.query.to };
      const statements = await learningRecordStatements(pool, filter);
      return reply.header('content-disposition', `attachment; filename="xapi-${filter.siteId ?? 'all'}.json"`).send({ statements });
    });

    if (options.appDir && existsSync(options.appDir)) {
      await app.register(fastifyStatic, { root: options.appDir, prefix: '/console/', decorateReply: false, index: 'index.html', dotfiles: 'deny' });
      app.get('/console', (_request, reply) => reply.redirect('/console/'));
    } else {
      app.get('/console/', (_request, reply) =>
        reply.code(503).type('text/plain; charset=utf-8').send('The console app is not built: run `npm run build`.\n控制台尚未构建：请运行 npm run build。\n'),
      );
    }
  };
}
