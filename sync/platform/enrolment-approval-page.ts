import { createHash } from 'node:crypto';
import { escapeHtml } from './html';
import type { PendingEnrolmentRequest } from './enrolment-requests';

/**
 * The page an admin reaches by scanning a kiosk's enrolment QR with a phone: server-rendered, no
 * script, large text, Chinese first with English beneath. Every value from the database or the
 * request goes through escapeHtml.
 */

const STYLE = `
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", system-ui, sans-serif; font-size: 22px; line-height: 1.5; margin: 0; color: #111418; background: #fff; }
main { max-width: 36rem; margin: 0 auto; padding: 24px; display: flex; flex-direction: column; gap: 20px; }
h1 { font-size: 1.6rem; margin: 0; }
.en { display: block; font-size: 0.8em; font-weight: 400; color: #2b3138; }
.code { font-family: ui-monospace, "Noto Sans Mono", monospace; font-size: 2.4rem; font-weight: 700; letter-spacing: 0.12em; margin: 0; }
p { margin: 0; }
form { display: flex; flex-direction: column; gap: 16px; }
label { font-weight: 700; display: flex; flex-direction: column; gap: 6px; }
input, select { font: inherit; min-height: 56px; padding: 8px 12px; border: 3px solid #111418; border-radius: 10px; }
.buttons { display: flex; flex-wrap: wrap; gap: 16px; }
button { font: inherit; font-weight: 700; min-height: 64px; padding: 8px 28px; border-radius: 12px; border: 3px solid #0a3a82; background: #0a3a82; color: #fff; }
button.refuse { background: #fff; color: #8a1010; border-color: #8a1010; }
.ok { color: #0b5a2a; font-weight: 700; }
button .en, .ok .en, .problem .en { color: inherit; }
.problem { color: #8a1010; font-weight: 700; }
dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dt { font-weight: 700; }
dd { margin: 0; overflow-wrap: anywhere; }
`;

/** The page allows only its own inline style, by hash, and forms posting back to the platform. */
export const APPROVAL_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Chinese, then English beneath it. */
function both(zh: string, en: string): string {
  return `${escapeHtml(zh)}<span class="en" lang="en">${escapeHtml(en)}</span>`;
}

function page(body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>批准终端注册 · Approve a kiosk</title>
<style>${STYLE}</style></head>
<body><main>
<h1>${both('批准终端注册', "Approve a kiosk's enrolment")}</h1>
${body}
</main></body></html>
`;
}

function requestDetails(request: PendingEnrolmentRequest): string {
  const expires = request.expiresAt.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  return `<p class="code" data-testid="user-code">${escapeHtml(request.userCode)}</p>
<dl>
<dt>${both('终端名称', 'Kiosk name')}</dt><dd data-testid="kiosk-name">${escapeHtml(request.kioskName)}</dd>
<dt>${both('有效期至', 'Valid until')}</dt><dd>${escapeHtml(expires)}</dd>
</dl>`;
}

/** Asks for the code when the link carried none (an admin typing the code a kiosk shows). */
export function codeEntryPage(problem?: { zh: string; en: string }): string {
  return page(`${problem ? `<p class="problem" role="alert">${both(problem.zh, problem.en)}</p>` : ''}
<form method="get" action="approve">
<label>${both('终端屏幕上显示的注册码', 'The code the kiosk shows')}<input name="code" autocomplete="off" autocapitalize="characters" required maxlength="20"></label>
<div class="buttons"><button type="submit">${both('下一步', 'Next')}</button></div>
</form>`);
}

/** Step one: the request as the kiosk made it, and the admin token. */
export function tokenPage(request: PendingEnrolmentRequest, problem?: { zh: string; en: string }): string {
  // Operators with a console account approve there; the token form stays for the admin token alone.
  return page(`${requestDetails(request)}
${problem ? `<p class="problem" role="alert">${both(problem.zh, problem.en)}</p>` : ''}
<p><a href="../console/#/enrolment?code=${encodeURIComponent(request.userCode)}">${both('登录平台控制台批准', "Approve in the operators' console")}</a></p>
<form method="post" action="approve">
<input type="hidden" name="code" value="${escapeHtml(request.userCode)}">
<label>${both('管理员令牌', 'Admin token')}<input type="password" name="token" autocomplete="off" required maxlength="500"></label>
<div class="buttons"><button type="submit" name="action" value="continue">${both('继续', 'Continue')}</button></div>
</form>`);
}

/**
 * Step two: the site to enrol the kiosk to. The token the admin just gave rides along in a hidden
 * field rather than a cookie, so the page keeps no session; the response is never cached.
 */
export function sitePage(request: PendingEnrolmentRequest, token: string, sites: { id: string; name: string }[]): string {
  const options = sites.map((s) => `<option value="${escapeHtml(s.id)}">${escapeHtml(s.name)} (${escapeHtml(s.id)})</option>`).join('\n');
  const siteChoice =
    sites.length > 0
      ? `<label>${both('学习点', 'Site')}<select name="siteId" required>${options}</select></label>`
      : `<p class="problem" role="alert">${both(
          '平台还没有学习点，先添加一个：npm run platform:admin -- site add --id 编号 --name 名称',
          'The platform has no sites yet; add one first: npm run platform:admin -- site add --id ID --name NAME',
        )}</p>`;
  const approve = sites.length > 0 ? `<button type="submit" name="action" value="approve">${both('批准', 'Approve')}</button>` : '';
  return page(`${requestDetails(request)}
<form method="post" action="approve">
<input type="hidden" name="code" value="${escapeHtml(request.userCode)}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
${siteChoice}
<div class="buttons">
${approve}
<button type="submit" name="action" value="refuse" class="refuse">${both('拒绝', 'Refuse')}</button>
</div>
</form>`);
}

export function resultPage(outcome: 'approved' | 'refused', request: PendingEnrolmentRequest, siteId?: string): string {
  const text =
    outcome === 'approved'
      ? both(`已批准：终端「${request.kioskName}」注册到学习点 ${siteId ?? ''}。终端会在几秒内自动完成注册。`, `Approved: the kiosk "${request.kioskName}" is enrolled to site ${siteId ?? ''}. It finishes by itself within seconds.`)
      : both(`已拒绝：终端「${request.kioskName}」不会注册。`, `Refused: the kiosk "${request.kioskName}" will not be enrolled.`);
  return page(`<p class="code">${escapeHtml(request.userCode)}</p>
<p class="${outcome === 'approved' ? 'ok' : 'problem'}" role="status" data-testid="outcome" data-outcome="${outcome}">${text}</p>`);
}

export function messagePage(message: { zh: string; en: string }): string {
  return page(`<p class="problem" role="alert" data-testid="problem">${both(message.zh, message.en)}</p>`);
}
