import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rendererPage } from '../../electron/host/renderer-page';
import { KIOSK_CONFIG_ELEMENT_ID } from '../../sync/protocol/kiosk-host-routes';
import type { KioskConfigAnswer } from '../../sync/protocol/kiosk-host-api';

const INDEX = '<!doctype html>\n<html lang="zh-CN">\n  <head>\n    <title>粤学终端</title>\n  </head>\n  <body><div id="root"></div></body>\n</html>\n';
const timing = { syncIntervalMs: 15_000, idleSeconds: 60, timeZone: 'Asia/Shanghai' };

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'yx-renderer-page-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** What the renderer's pageConfig() reads: the data block's text, parsed. */
function configIn(html: string): { config: unknown; blocks: number; inHead: boolean } {
  const blocks = [...html.matchAll(new RegExp(`<script type="application/json" id="${KIOSK_CONFIG_ELEMENT_ID}">(.*?)</script>`, 'gs'))];
  return { config: blocks[0] ? JSON.parse(blocks[0][1]!) : undefined, blocks: blocks.length, inHead: (blocks[0]?.index ?? Infinity) < html.indexOf('</head>') };
}

describe("the host's page carries the kiosk's config, so the renderer starts without asking for it", () => {
  it('writes the config into the head as one JSON data block, the rest of the page unchanged', async () => {
    await writeFile(join(folder, 'index.html'), INDEX);
    const config: KioskConfigAnswer = { enrolled: true, kioskId: 'KIOSK-DONGSHAN-1', siteId: 'GZ-DONGSHAN', ...timing, offlineWarningDays: 14, lastPlatformContactAt: null };
    const html = rendererPage(folder)(config);
    expect(configIn(html)).toEqual({ config, blocks: 1, inHead: true });
    expect(html.replace(/<script type="application\/json"[^]*?<\/script>\n {2}/, '')).toBe(INDEX);
  });

  it('keeps a value that looks like markup inside the block', async () => {
    await writeFile(join(folder, 'index.html'), INDEX);
    const config: KioskConfigAnswer = { enrolled: false, kioskName: '大堂</script><script>alert(1)</script><!--', ...timing };
    const html = rendererPage(folder)(config);
    expect(configIn(html)).toEqual({ config, blocks: 1, inHead: true });
    expect(html).not.toContain('<script>alert');
  });

  it('refuses a renderer folder whose index.html is not a built page', async () => {
    await writeFile(join(folder, 'index.html'), '<p>not the renderer</p>');
    expect(() => rendererPage(folder)).toThrow(/has no <\/head>/);
  });
});
