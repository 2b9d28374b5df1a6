import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildKioskHost, DEFAULT_RENDERER_DIR } from '../../electron/host/kiosk-host';
import { KIOSK_PAGE_CSP } from '../../electron/host/content-security-policy';
import { JOURNAL_FILE } from '../../electron/host/record-journal';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { startTestPlatform, demoCard, demoSessionsOpenNow } from '../support/platform';
import { expectAccessible, launchChromium } from '../support/browser';
import { testSettings } from '../support/kiosk';
import { openSessionAsStaff } from '../support/staff';
import { writeCameraVideo } from '../support/fake-camera';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let kiosk: FastifyInstance;
let kioskUrl: string;
let browser: Browser;
let folder: string;
let card: { learnerId: string; name: string; text: string };

/**
 * TypeBox (sync/protocol's schemas) tries `new Function('null')` once to learn whether it may
 * compile validators, and falls back to interpreting them when the policy says no: the one
 * refusal that is expected. The policy's 'report-sample' puts the tried code in the report.
 */
const TYPEBOX_EVAL_PROBE = 'script-src blocked eval: (function anonymous(\n) {\nnull\n})';

/** Every CSP violation the page reports, from the DOM event and from Chromium's console. */
async function watchForViolations(context: BrowserContext): Promise<{ page: Page; violations: string[] }> {
  const violations: string[] = [];
  // Init scripts come through DevTools, so the policy does not stop this one.
  await context.exposeFunction('reportCspViolation', (violation: string) => {
    if (!violation.startsWith(TYPEBOX_EVAL_PROBE)) violations.push(violation);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { reportCspViolation(v: string): void }).reportCspViolation;
      report(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'}: ${event.sample} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return { page, violations };
}

beforeAll(async () => {
  platform = await startTestPlatform();
  const { kioskCredential } = await seedDemo(platform.database.pool, null);
  await demoSessionsOpenNow(platform.database.pool);
  card = await demoCard(platform.database.pool);
  folder = await mkdtemp(join(tmpdir(), 'yx-csp-'));
  kiosk = await buildKioskHost({
    settings: await testSettings(platform.url),
    enrolment: { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, credential: kioskCredential! },
    journalFile: join(folder, JOURNAL_FILE),
  });
  kioskUrl = await kiosk.listen({ host: '127.0.0.1', port: 0 });
  const video = join(folder, 'card.y4m');
  await writeCameraVideo(video, [
    { cardText: null, frames: 5 },
    { cardText: card.text, frames: 20 },
  ], { tiltDegrees: 8, blurRadius: 1, sizePixels: 400 });
  browser = await launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
});

afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
  await platform?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('the kiosk under its Content-Security-Policy', () => {
  it('shows the home, staff and learning screens and checks in by camera with no violation', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const { page, violations } = await watchForViolations(context);

    const response = await page.goto(kioskUrl);
    expect(response?.headers()['content-security-policy']).toBe(KIOSK_PAGE_CSP);
    await page.getByRole('heading', { name: '粤学终端' }).waitFor();
    await page.getByRole('button', { name: '学习课程' }).click();
    await page.getByTestId('course-list').waitFor();
    await page.getByRole('button', { name: '长者学堂', exact: true }).click();
    expect(violations).toEqual([]);

    // The camera and its WebAssembly QR reader run under the policy too.
    await openSessionAsStaff(page, kioskUrl);
    await expectAccessible(page);
    await page.getByRole('button', { name: '去签到页面' }).click();
    const result = page.getByTestId('checkin-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.getAttribute('data-result')).toBe('checked-in');
    expect(await page.getByTestId('camera-preview').getAttribute('data-camera')).toBe('running');
    expect(violations).toEqual([]);
    await context.close();
  });
});

describe('the violation watch', () => {
  let server: FastifyInstance;
  let serverUrl: string;

  beforeAll(async () => {
    // The renderer served under the kiosk's policy without 'wasm-unsafe-eval'.
    server = Fastify();
    server.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', KIOSK_PAGE_CSP.replace(" 'wasm-unsafe-eval'", ''));
      return payload;
    });
    await server.register(fastifyStatic, { root: DEFAULT_RENDERER_DIR });
    serverUrl = await server.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('catches the QR reader failing when the policy leaves WebAssembly out', async () => {
    const wasm = (await readdir(join(DEFAULT_RENDERER_DIR, 'assets'))).find((name) => name.endsWith('.wasm'));
    const context = await browser.newContext();
    const { page, violations } = await watchForViolations(context);
    await page.goto(serverUrl);
    const compiled = await page.evaluate(async (url) => {
      try {
        await WebAssembly.compileStreaming(fetch(url));
        return 'compiled';
      } catch (error) {
        return String(error);
      }
    }, `${serverUrl}/assets/${wasm}`);
    expect(compiled).toMatch(/Content Security Policy|unsafe-eval/i);
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    await context.close();
  });
});
