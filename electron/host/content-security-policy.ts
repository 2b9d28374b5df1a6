import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of the kiosk's own page: everything from the kiosk host, nothing
 * from anywhere else, no inline or evaluated script. What the built renderer needs, and why:
 * - script-src 'self': Vite's module scripts are files under /assets;
 * - 'wasm-unsafe-eval': zxing-wasm compiles its WebAssembly QR reader (no JS eval is allowed:
 *   TypeBox tries it once and falls back to interpreted validators);
 * - 'report-sample': a refusal's report shows the code refused, so a test can tell TypeBox's
 *   probe from anything else;
 * - style-src 'self': Vite extracts CSS into a file; React's style prop writes CSSOM properties,
 *   which CSP does not govern, so no 'unsafe-inline';
 * - img-src data: blob:: QR codes are drawn on the kiosk as SVG data URLs;
 * - font-src data:: Vite inlines small font subsets as data URLs;
 * - media-src blob:: lesson media comes from /content on the host; the camera is a MediaStream;
 * - frame-src 'self': lesson pages from the course cache play in a sandboxed iframe.
 * Nothing may frame the kiosk, and forms and <base> cannot point elsewhere.
 */
export const KIOSK_PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' 'report-sample'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Course files come from the platform's content packages, not from this code: a lesson page may
 * style itself inline but never runs script, even opened on its own (no script-src, and a sandbox
 * without allow-scripts), and only the kiosk may frame it. The sandbox keeps the page's own origin
 * (allow-same-origin) so the lesson player can follow how far a learner has scrolled a reading.
 */
export const COURSE_CONTENT_CSP = [
  "default-src 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "media-src 'self'",
  "frame-ancestors 'self'",
  'sandbox allow-same-origin',
].join('; ');

/** Where the course cache serves lesson files (course-cache-routes.ts). */
const COURSE_CONTENT_PREFIX = '/content/';

/** The policy for a response of the kiosk host, by its path (a URL path or a full URL). */
export function contentSecurityPolicyFor(url: string): string {
  const { pathname } = new URL(url, 'http://kiosk.invalid');
  let path = pathname;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    // Not valid percent-encoding: judged as written.
  }
  return path.startsWith(COURSE_CONTENT_PREFIX) ? COURSE_CONTENT_CSP : KIOSK_PAGE_CSP;
}

/** Sends the policy with every response of the kiosk host: pages, files, errors. */
export function registerContentSecurityPolicy(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('content-security-policy', contentSecurityPolicyFor(request.url));
    return payload;
  });
}
