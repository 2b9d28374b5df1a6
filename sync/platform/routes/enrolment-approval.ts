import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import type pg from 'pg';
import { adminTokenChecker } from '../admin/admin-auth';
import { ENROLMENT_RATE_LIMITS } from './enrolment-rate-limits';
import { AdminNotFound, listSites } from '../admin/sites';
import {
  approveEnrolmentRequest,
  EnrolmentRequestUnanswerable,
  pendingEnrolmentRequest,
  refuseEnrolmentRequest,
} from '../enrolment-requests';
import { APPROVAL_PAGE_CSP, codeEntryPage, messagePage, resultPage, sitePage, tokenPage } from '../enrolment-approval-page';

const ApprovalQuery = Type.Object({ code: Type.Optional(Type.String({ maxLength: 20 })) });

const ApprovalForm = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 20 }),
  token: Type.String({ maxLength: 500 }),
  action: Type.Union([Type.Literal('continue'), Type.Literal('approve'), Type.Literal('refuse')]),
  siteId: Type.Optional(Type.String({ maxLength: 64 })),
});
const approvalForm = Compile(ApprovalForm);

const UNANSWERABLE: Record<EnrolmentRequestUnanswerable['reason'], { status: number; zh: string; en: string }> = {
  unknown: { status: 404, zh: '找不到这个注册码。请核对终端屏幕上显示的注册码。', en: 'No kiosk is asking to enrol with this code. Check the code the kiosk shows.' },
  approved: { status: 409, zh: '这个注册码已经批准过了。', en: 'This code has already been approved.' },
  refused: { status: 409, zh: '这个注册码已经被拒绝。', en: 'This code has already been refused.' },
  expired: { status: 410, zh: '这个注册码已过期，终端现在显示新的注册码。', en: 'This code has expired; the kiosk now shows a new one.' },
};

const WRONG_TOKEN = { zh: '管理员令牌不正确。', en: 'That admin token is not right.' };
const UNKNOWN_SITE = { zh: '没有这个学习点。', en: 'There is no such site.' };

/** Pages with the admin token in them must not be cached, framed, or leak through a Referer. */
function sendPage(reply: FastifyReply, status: number, html: string) {
  return reply
    .code(status)
    .headers({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': APPROVAL_PAGE_CSP,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    })
    .send(html);
}

/**
 * `/enrol/approve`: the page behind a kiosk's enrolment QR, where an admin approves or refuses
 * the kiosk from a phone with the admin token. Without an admin token the platform approves
 * nothing over the web and the page says how to use the CLI instead.
 */
export function enrolmentApprovalRoutes(pool: pg.Pool, adminToken: string | undefined): FastifyPluginAsync {
  const isAdminToken = adminToken ? adminTokenChecker(adminToken) : () => false;
  return async (app) => {
    // HTML forms post url-encoded; only this plugin reads them.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    const disabled = (reply: FastifyReply, code: string) =>
      sendPage(
        reply,
        503,
        messagePage({
          zh: `此平台未开启网页批准。请平台管理员运行：npm run platform:admin -- enrol-request approve ${code} --site 学习点编号`,
          en: `Approving on the web is off on this platform (no PLATFORM_ADMIN_TOKEN). The platform admin runs: npm run platform:admin -- enrol-request approve ${code} --site SITE`,
        }),
      );

    const unanswerable = (reply: FastifyReply, error: unknown) => {
      if (error instanceof EnrolmentRequestUnanswerable) {
        const { status, zh, en } = UNANSWERABLE[error.reason];
        return sendPage(reply, status, messagePage({ zh, en }));
      }
      throw error;
    };

    app.get<{ Querystring: Static<typeof ApprovalQuery> }>('/enrol/approve', { schema: { querystring: ApprovalQuery } }, async (request, reply) => {
      const code = request.query.code?.trim();
      if (!code) return sendPage(reply, 200, codeEntryPage());
      if (!adminToken) return disabled(reply, code);
      try {
        return sendPage(reply, 200, tokenPage(await pendingEnrolmentRequest(pool, code)));
      } catch (error) {
        return unanswerable(reply, error);
      }
    });

    app.post('/enrol/approve', { config: { rateLimit: ENROLMENT_RATE_LIMITS.approve } }, async (request, reply) => {
      const form = request.body;
      if (!approvalForm.Check(form)) return sendPage(reply, 400, codeEntryPage({ zh: '表单不完整，请重新开始。', en: 'The form was incomplete; please start again.' }));
      if (!adminToken) return disabled(reply, form.code);
      try {
        const pending = await pendingEnrolmentRequest(pool, form.code);
        if (!isAdminToken(form.token)) return sendPage(reply, 401, tokenPage(pending, WRONG_TOKEN));
        switch (form.action) {
          case 'continue':
            return sendPage(reply, 200, sitePage(pending, form.token, await listSites(pool)));
          case 'approve': {
            const approved = await approveEnrolmentRequest(pool, form.code, form.siteId ?? '');
            return sendPage(reply, 200, resultPage('approved', approved, approved.siteId));
          }
          case 'refuse':
            return sendPage(reply, 200, resultPage('refused', await refuseEnrolmentRequest(pool, form.code)));
        }
      } catch (error) {
        if (error instanceof AdminNotFound) return sendPage(reply, 404, messagePage(UNKNOWN_SITE));
        return unanswerable(reply, error);
      }
    });
  };
}
