import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadKioskConfig, publicKioskConfig, saveEnrolment, saveKioskSettings } from '../../electron/host/kiosk-config';

let folder: string;
const PIN_HASH = 'scrypt$salt$hash-of-the-pin';
const SETTINGS = { platformUrl: 'https://platform.example.gd.cn', kioskName: '东山 大堂', staffPinHash: PIN_HASH };
const ENROLMENT = { kioskId: 'KIOSK-DONGSHAN-1', siteId: 'GZ-DONGSHAN', credential: 'KIOSK-DONGSHAN-1.secret' };

const write = (file: string, value: unknown) => writeFile(join(folder, file), typeof value === 'string' ? value : JSON.stringify(value));

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'yx-config-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('kiosk config: the operator writes the settings, the kiosk its enrolment', () => {
  it('runs unenrolled on the settings alone, with default timings', async () => {
    await write('kiosk.json', SETTINGS);
    const config = await loadKioskConfig(folder);
    expect(config).toEqual({
      settings: { ...SETTINGS, syncIntervalMs: 15_000, idleSeconds: 60, timeZone: 'Asia/Shanghai', offlineWarningDays: 14 },
      enrolment: null,
      enrolmentFile: join(folder, 'enrolment.json'),
    });
    expect(publicKioskConfig(config.settings, config.enrolment)).toEqual({
      enrolled: false,
      kioskName: '东山 大堂',
      syncIntervalMs: 15_000,
      idleSeconds: 60,
      timeZone: 'Asia/Shanghai',
    });
  });

  it('is enrolled by enrolment.json, and shows the renderer everything but the credential', async () => {
    await write('kiosk.json', { ...SETTINGS, syncIntervalMs: 5000, offlineWarningDays: 30 });
    await write('enrolment.json', ENROLMENT);
    const config = await loadKioskConfig(folder);
    expect(config.enrolment).toEqual(ENROLMENT);
    const lastContact = new Date('2026-11-20T08:00:00.000Z');
    const visible = publicKioskConfig(config.settings, config.enrolment, lastContact);
    expect(visible).toEqual({
      enrolled: true,
      kioskId: ENROLMENT.kioskId,
      siteId: ENROLMENT.siteId,
      syncIntervalMs: 5000,
      idleSeconds: 60,
      timeZone: 'Asia/Shanghai',
      offlineWarningDays: 30,
      lastPlatformContactAt: '2026-11-20T08:00:00.000Z',
    });
    expect(JSON.stringify(visible)).not.toContain('secret');
  });

  it("still accepts yesterday's complete kiosk.json, enrolment inside and no kioskName", async () => {
    await write('kiosk.json', { platformUrl: SETTINGS.platformUrl, staffPinHash: PIN_HASH, ...ENROLMENT, syncIntervalMs: 15_000, idleSeconds: 60 });
    const config = await loadKioskConfig(folder);
    expect(config.enrolment).toEqual(ENROLMENT);
    expect(config.settings.kioskName).toBe(ENROLMENT.kioskId);
  });

  it('names the file and the field that is wrong', async () => {
    await expect(loadKioskConfig(folder)).rejects.toThrow(/kiosk\.json is missing: set this kiosk up first/);
    await write('kiosk.json', '{ not json');
    await expect(loadKioskConfig(folder)).rejects.toThrow(/kiosk\.json is not valid JSON/);
    const cases: [unknown, RegExp][] = [
      [{ ...SETTINGS, platformUrl: 'ftp://x' }, /kiosk\.json platformUrl must match/],
      [{ ...SETTINGS, platformUrl: 'http://platform.example.gd.cn' }, /kiosk\.json platformUrl "http:\/\/platform\.example\.gd\.cn" must start with https:\/\/: the kiosk's credential/],
      [{ ...SETTINGS, platformUrl: 'http://127.0.0.1.evil.example' }, /must start with https:\/\//],
      [{ ...SETTINGS, platformPins: ['md5/abc'] }, /kiosk\.json platformPins\.0 must match/],
      [{ ...SETTINGS, idleSeconds: 3 }, /kiosk\.json idleSeconds must be >= 10/],
      [{ ...SETTINGS, offlineWarningDays: 0 }, /kiosk\.json offlineWarningDays must be > 0/],
      [{ ...SETTINGS, timeZone: 'Guangzhou' }, /kiosk\.json timeZone "Guangzhou" is not a time zone name such as Asia\/Shanghai/],
      [{ ...SETTINGS, kioskNmae: 'typo' }, /kiosk\.json has a field it does not know: kioskNmae/],
      [{ platformUrl: SETTINGS.platformUrl, kioskName: 'x' }, /kiosk\.json is missing staffPinHash/],
      [{ platformUrl: SETTINGS.platformUrl, staffPinHash: PIN_HASH }, /kiosk\.json is missing kioskName, which the kiosk needs to enrol/],
      [{ ...SETTINGS, kioskId: 'K', credential: 'K.s' }, /kiosk\.json holds part of an enrolment/],
    ];
    for (const [settings, message] of cases) {
      await write('kiosk.json', settings);
      await expect(loadKioskConfig(folder)).rejects.toThrow(message);
    }
  });

  it('takes plain http only for a platform on this computer, and platform pins of either kind', async () => {
    for (const platformUrl of ['http://127.0.0.1:4310', 'http://127.8.9.10', 'http://localhost:4310', 'http://[::1]:4310', 'https://platform.example.gd.cn']) {
      await write('kiosk.json', { ...SETTINGS, platformUrl });
      expect((await loadKioskConfig(folder)).settings.platformUrl).toBe(platformUrl);
    }
    const platformPins = [`sha256/${'A'.repeat(43)}=`, `cert-sha256/${'ab:'.repeat(31)}ab`];
    await write('kiosk.json', { ...SETTINGS, platformPins });
    expect((await loadKioskConfig(folder)).settings.platformPins).toEqual(platformPins);
  });

  it('refuses an enrolment in both files, and a broken enrolment.json', async () => {
    await write('kiosk.json', { ...SETTINGS, ...ENROLMENT });
    await write('enrolment.json', ENROLMENT);
    await expect(loadKioskConfig(folder)).rejects.toThrow(/both hold an enrolment: remove kioskId, siteId and credential from kiosk\.json/);
    await write('kiosk.json', SETTINGS);
    await write('enrolment.json', { kioskId: 'K', siteId: 'S' });
    await expect(loadKioskConfig(folder)).rejects.toThrow(/enrolment\.json is missing credential/);
  });

  it('writes both files for their owner only, and refuses to write a wrong one', async () => {
    await saveKioskSettings(folder, SETTINGS);
    await saveEnrolment(join(folder, 'enrolment.json'), ENROLMENT);
    for (const file of ['kiosk.json', 'enrolment.json']) expect((await stat(join(folder, file))).mode & 0o777).toBe(0o600);
    expect((await loadKioskConfig(folder)).enrolment).toEqual(ENROLMENT);
    await expect(saveEnrolment(join(folder, 'enrolment.json'), { ...ENROLMENT, credential: '' })).rejects.toThrow(/credential/);
    expect(JSON.parse(await readFile(join(folder, 'enrolment.json'), 'utf8'))).toEqual(ENROLMENT);
  });
});
