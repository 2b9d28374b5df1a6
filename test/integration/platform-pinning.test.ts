import { execFile } from 'node:child_process';
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { Agent as HttpsAgent } from 'node:https';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKioskHost, type RunningKioskHost } from '../../electron/host/kiosk-host';
import { ENROLMENT_FILE } from '../../electron/host/kiosk-config';
import { JOURNAL_FILE } from '../../electron/host/record-journal';
import { testSettings } from '../support/kiosk';
import { testPackage } from '../support/package-server';
import { CourseCache } from '../../electron/host/course-cache/course-cache';
import { platformAgentOptions, platformFetch } from '../../electron/host/platform-tls';

/**
 * The platform's certificate pin, enforced on both connections the host makes: the sync relay
 * and enrolment. The platform here is a stand-in https server with a self-signed certificate the
 * test makes with the openssl CLI (node:crypto cannot make X.509 certificates).
 */

let work: string;
let rendererDir: string;
let platform: Server;
let platformUrl: string;
let certificate: string;
let spkiPin: string;
let certPin: string;
const requests: string[] = [];
const lessonFile = randomBytes(4000);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'yx-pinning-'));
  const key = join(work, 'key.pem');
  const cert = join(work, 'cert.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', key, '-out', cert,
  ]);
  certificate = await readFile(cert, 'utf8');
  const x509 = new X509Certificate(certificate);
  spkiPin = `sha256/${createHash('sha256').update(x509.publicKey.export({ type: 'spki', format: 'der' })).digest('base64')}`;
  certPin = `cert-sha256/${x509.fingerprint256}`;
  platform = createServer({ key: await readFile(key), cert: certificate }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/sync/learners/pull')) return res.end(JSON.stringify({ documents: [], checkpoint: null }));
    if (req.url === '/content/pinned/pinned.bin') {
      res.setHeader('content-type', 'application/octet-stream');
      return res.end(lessonFile);
    }
    if (req.url === '/enrol/requests') {
      res.statusCode = 201;
      return res.end(JSON.stringify({ requestId: '0190a0a0-0000-7000-8000-000000000001', userCode: 'ABCD-EFGH', pollSecret: 'p'.repeat(20), expiresAt: new Date(Date.now() + 600_000).toISOString() }));
    }
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => platform.listen(0, '127.0.0.1', resolve));
  platformUrl = `https://127.0.0.1:${(platform.address() as AddressInfo).port}`;
  rendererDir = join(work, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>kiosk</title></head><body></body></html>');
});

afterAll(async () => {
  await new Promise((resolve) => platform?.close(resolve));
  if (work) await rm(work, { recursive: true, force: true });
});

async function host(platformPins: string[] | undefined, enrolled: boolean, folder: string): Promise<RunningKioskHost> {
  return startKioskHost({
    rendererDir,
    settings: { ...(await testSettings(platformUrl)), ...(platformPins ? { platformPins } : {}) },
    enrolment: enrolled ? { kioskId: 'KIOSK-PIN', siteId: 'SITE-PIN', credential: 'KIOSK-PIN.secret' } : null,
    enrolmentFile: join(folder, ENROLMENT_FILE),
    journalFile: join(folder, JOURNAL_FILE),
    enrolmentPollMs: 200,
    // The test's certificate authority is the certificate itself; the pin is checked on top.
    platformCa: certificate,
  });
}

async function withHost(platformPins: string[] | undefined, enrolled: boolean, use: (kiosk: RunningKioskHost) => Promise<void>): Promise<void> {
  const folder = await mkdtemp(join(work, 'kiosk-'));
  const kiosk = await host(platformPins, enrolled, folder);
  try {
    await use(kiosk);
  } finally {
    await kiosk.close();
  }
}

describe('platform certificate pinning', () => {
  it('relays to a platform whose key or certificate matches a pin', async () => {
    for (const pins of [undefined, [spkiPin], [certPin], [`sha256/${'A'.repeat(43)}=`, spkiPin]]) {
      await withHost(pins, true, async (kiosk) => {
        const response = await fetch(`${kiosk.url}/sync/learners/pull`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ documents: [], checkpoint: null });
      });
    }
  });

  it('refuses the relay to a platform that matches no pin, saying why, and sends it nothing', async () => {
    const before = requests.length;
    await withHost([`sha256/${'A'.repeat(43)}=`], true, async (kiosk) => {
      const response = await fetch(`${kiosk.url}/sync/learners/pull`);
      expect(response.status).toBe(503);
      expect(((await response.json()) as { message: string }).message).toMatch(/does not match platformPins in kiosk\.json/);
    });
    expect(requests.length).toBe(before);
  });

  it('refuses to enrol with a platform that matches no pin, and enrols with one that does', async () => {
    await withHost([`cert-sha256/${'00:'.repeat(31)}00`], false, async (kiosk) => {
      await expect
        .poll(async () => (await (await fetch(`${kiosk.url}/kiosk/enrolment`)).json()) as { status: string; problem: string | null }, { timeout: 10_000 })
        .toMatchObject({ status: 'offline', problem: expect.stringMatching(/does not match platformPins/) });
    });
    await withHost([certPin], false, async (kiosk) => {
      await expect
        .poll(async () => (await (await fetch(`${kiosk.url}/kiosk/enrolment`)).json()) as { userCode: string | null }, { timeout: 10_000 })
        .toMatchObject({ userCode: 'ABCD-EFGH' });
    });
  });

  it('downloads lesson files over the pinned connection, and refuses a platform that matches no pin', async () => {
    const download = async (pins: string[]) => {
      const cache = await CourseCache.open({ dir: await mkdtemp(join(work, 'cache-')), budgetBytes: 1_000_000, retries: 0, fetch: platformFetch(new HttpsAgent(platformAgentOptions({ pins, ca: certificate }))) });
      await cache.ensureCourse(testPackage('pinned', lessonFile), `${platformUrl}/content`);
      return cache;
    };
    expect((await download([spkiPin])).course('pinned')?.complete).toBe(true);
    await expect(download([`sha256/${'A'.repeat(43)}=`])).rejects.toThrow(/does not match platformPins/);
  });

  it('refuses a self-signed platform nobody vouched for, pin or not', async () => {
    const folder = await mkdtemp(join(work, 'kiosk-'));
    const kiosk = await startKioskHost({
      rendererDir,
      settings: { ...(await testSettings(platformUrl)), platformPins: [spkiPin] },
      enrolment: { kioskId: 'KIOSK-PIN', siteId: 'SITE-PIN', credential: 'KIOSK-PIN.secret' },
      journalFile: join(folder, JOURNAL_FILE),
    });
    try {
      expect((await fetch(`${kiosk.url}/sync/learners/pull`)).status).toBe(503);
    } finally {
      await kiosk.close();
    }
  });

  it('refuses to start on a plain-http platform that is not on this computer', async () => {
    await expect(
      startKioskHost({ rendererDir, settings: await testSettings('http://platform.example.gd.cn'), enrolment: null, enrolmentFile: join(work, 'e.json'), journalFile: join(work, 'j.jsonl') }),
    ).rejects.toThrow(/platformUrl "http:\/\/platform\.example\.gd\.cn" must start with https:\/\//);
  });
});
