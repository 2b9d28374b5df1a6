/**
 * `npm run bench -- startup [--runs=N]`: how long from starting the kiosk host until the home
 * screen takes taps in headless Chromium (target ≤ 1.5 s), and how much JavaScript the renderer
 * ships, gzipped. Needs a built renderer (`npx vite build`). The platform is left unreachable on
 * purpose: an offline-first kiosk must start just as fast without it.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { DEFAULT_RENDERER_DIR, startKioskHost } from '../electron/host/kiosk-host';
import { hashStaffPin } from '../electron/host/staff-pin';
import { DEFAULT_TIME_ZONE } from '../electron/host/kiosk-config';
import { DEMO_KIOSK_ID, DEMO_SITE_ID } from '../sync/platform/demo-seed';
import { launchChromium } from '../test/support/browser';

const TARGET_MS = 1500;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function rendererJsGzipBytes(): { files: number; bytes: number; gzipBytes: number } {
  const assets = join(DEFAULT_RENDERER_DIR, 'assets');
  const files = readdirSync(assets).filter((f) => f.endsWith('.js'));
  let bytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const content = readFileSync(join(assets, file));
    bytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
  }
  return { files: files.length, bytes, gzipBytes };
}

export async function run(args: string[]) {
  if (!existsSync(DEFAULT_RENDERER_DIR)) throw new Error('The renderer is not built: run "npx vite build" first.');
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 5);
  const config = {
    // Port 9 (discard) on loopback: nothing listens, so sync fails at once, as when offline.
    settings: { platformUrl: 'http://127.0.0.1:9', kioskName: 'bench', staffPinHash: await hashStaffPin('0000'), syncIntervalMs: 15_000, idleSeconds: 60, timeZone: DEFAULT_TIME_ZONE },
    enrolment: { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, credential: 'bench-only' },
    journalFile: join(mkdtempSync(join(tmpdir(), 'yx-bench-')), 'record-journal.jsonl'),
  };

  const browserStart = performance.now();
  const browser = await launchChromium();
  const browserLaunchMs = performance.now() - browserStart;
  const totals: number[] = [];
  const hostStarts: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      // A fresh browser context each run: an empty IndexedDB, as on a kiosk's first start.
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      const page = await context.newPage();
      const start = performance.now();
      const host = await startKioskHost(config);
      const hostReady = performance.now();
      await page.goto(host.url);
      // Interactive: the first home button is rendered, visible and enabled.
      await page.getByRole('button', { name: '上课签到' }).click({ trial: true });
      const interactive = performance.now();
      hostStarts.push(hostReady - start);
      totals.push(interactive - start);
      await context.close();
      await host.close();
    }
  } finally {
    await browser.close();
    rmSync(dirname(config.journalFile), { recursive: true, force: true });
  }

  const round = (n: number) => Math.round(n);
  console.log(JSON.stringify({ bench: 'startup', metric: 'browser_launch_ms', value: round(browserLaunchMs) }));
  console.log(JSON.stringify({ bench: 'startup', metric: 'host_start_ms', runs, median: round(median(hostStarts)) }));
  console.log(
    JSON.stringify({
      bench: 'startup',
      metric: 'host_to_interactive_home_ms',
      runs,
      median: round(median(totals)),
      min: round(Math.min(...totals)),
      max: round(Math.max(...totals)),
      target: TARGET_MS,
      withinTarget: median(totals) <= TARGET_MS,
    }),
  );
  const js = rendererJsGzipBytes();
  console.log(JSON.stringify({ bench: 'startup', metric: 'renderer_js_gzip_bytes', value: js.gzipBytes, rawBytes: js.bytes, files: js.files }));
}
