import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  COURSE_CONTENT_CSP,
  KIOSK_PAGE_CSP,
  contentSecurityPolicyFor,
  registerContentSecurityPolicy,
} from '../../electron/host/content-security-policy';
import { enforceContentSecurityPolicy } from '../../electron/kiosk-content-security';
import { FakeSession } from '../support/fake-electron';

const directives = (policy: string) => new Map(policy.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));

describe('the kiosk page policy', () => {
  const policy = directives(KIOSK_PAGE_CSP);

  it('allows script only from the kiosk host, WebAssembly for the QR reader, and no eval or inline script', () => {
    expect(policy.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'", "'report-sample'"]);
    expect(KIOSK_PAGE_CSP).not.toContain("'unsafe-eval'");
    expect(KIOSK_PAGE_CSP).not.toContain("'unsafe-inline'");
  });

  it('loads nothing from another origin and cannot be framed', () => {
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(KIOSK_PAGE_CSP).not.toMatch(/https?:|\*/);
  });
});

describe('the course content policy', () => {
  it('runs no script, even for a lesson page opened on its own', () => {
    const policy = directives(COURSE_CONTENT_CSP);
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.has('script-src')).toBe(false);
    // Sandboxed without allow-scripts: script never runs, even if a policy line were lost.
    expect(policy.get('sandbox')).toEqual(['allow-same-origin']);
    expect(policy.get('frame-ancestors')).toEqual(["'self'"]);
  });

  it('applies under /content/, however the path is written', () => {
    expect(contentSecurityPolicyFor('/content/course-1/page.html')).toBe(COURSE_CONTENT_CSP);
    expect(contentSecurityPolicyFor('http://127.0.0.1:4320/content/course-1/page.html?x=1')).toBe(COURSE_CONTENT_CSP);
    expect(contentSecurityPolicyFor('/%63ontent/course-1/page.html')).toBe(COURSE_CONTENT_CSP);
    expect(contentSecurityPolicyFor('/')).toBe(KIOSK_PAGE_CSP);
    expect(contentSecurityPolicyFor('/assets/index.js')).toBe(KIOSK_PAGE_CSP);
    expect(contentSecurityPolicyFor('/contents')).toBe(KIOSK_PAGE_CSP);
    expect(contentSecurityPolicyFor('/%E0%A4%A')).toBe(KIOSK_PAGE_CSP);
  });
});

describe('the host hook', () => {
  it('sends the policy with every response: pages, course files, errors', async () => {
    const app = Fastify();
    registerContentSecurityPolicy(app);
    app.get('/', async () => 'page');
    app.get('/content/*', async () => 'lesson');
    app.get('/boom', async () => {
      throw new Error('broken');
    });
    const csp = async (url: string) => (await app.inject({ url })).headers['content-security-policy'];
    expect(await csp('/')).toBe(KIOSK_PAGE_CSP);
    expect(await csp('/content/c/page.html')).toBe(COURSE_CONTENT_CSP);
    expect(await csp('/boom')).toBe(KIOSK_PAGE_CSP);
    expect(await csp('/missing')).toBe(KIOSK_PAGE_CSP);
    await app.close();
  });
});

describe('the Electron shell', () => {
  const KIOSK = 'http://127.0.0.1:4320';

  function shellSession() {
    const session = new FakeSession();
    enforceContentSecurityPolicy(session, `${KIOSK}/`);
    return session;
  }

  it('puts the policy on kiosk responses, replacing whatever the host sent', () => {
    const session = shellSession();
    const { responseHeaders } = session.headersFor({
      url: `${KIOSK}/`,
      responseHeaders: { 'Content-Type': ['text/html'], 'content-security-policy': ["default-src *"] },
    });
    expect(responseHeaders).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [KIOSK_PAGE_CSP] });
    expect(session.headersFor({ url: `${KIOSK}/content/c/page.html` }).responseHeaders).toEqual({ 'Content-Security-Policy': [COURSE_CONTENT_CSP] });
  });

  it('leaves responses from other origins alone', () => {
    const session = shellSession();
    expect(session.headersFilter).toEqual({ urls: ['http://127.0.0.1/*'] });
    expect(session.headersFor({ url: 'http://127.0.0.1:9999/', responseHeaders: { a: ['b'] } })).toEqual({});
  });
});
