import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PLATFORM_CONTACT_FILE, PlatformContact } from '../../electron/host/platform-contact';

let folder: string;
let file: string;
const at = (iso: string) => new Date(iso);
const stored = async () => JSON.parse(await readFile(file, 'utf8')) as { lastContactAt: string };

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'yx-contact-'));
  file = join(folder, PLATFORM_CONTACT_FILE);
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('the last platform contact, kept by the kiosk host', () => {
  it('is unknown at first, kept on disk, and read back by a restarted host', async () => {
    const contact = await PlatformContact.open(file);
    expect(contact.lastContactAt()).toBeNull();
    await contact.note(at('2026-11-01T02:00:00.000Z'));
    expect(await stored()).toEqual({ lastContactAt: '2026-11-01T02:00:00.000Z' });
    expect((await PlatformContact.open(file)).lastContactAt()).toEqual(at('2026-11-01T02:00:00.000Z'));
  });

  it('writes at most every five minutes while the platform answers, but knows every answer', async () => {
    const contact = await PlatformContact.open(file);
    await contact.note(at('2026-11-01T02:00:00.000Z'));
    await contact.note(at('2026-11-01T02:04:00.000Z'));
    expect(contact.lastContactAt()).toEqual(at('2026-11-01T02:04:00.000Z'));
    expect(await stored()).toEqual({ lastContactAt: '2026-11-01T02:00:00.000Z' });
    await contact.note(at('2026-11-01T02:05:00.000Z'));
    expect(await stored()).toEqual({ lastContactAt: '2026-11-01T02:05:00.000Z' });
    // Weeks offline, then an answer: written at once.
    await contact.note(at('2026-11-29T02:00:00.000Z'));
    expect(await stored()).toEqual({ lastContactAt: '2026-11-29T02:00:00.000Z' });
  });

  it('takes the newest answer even when the clock was set back', async () => {
    const contact = await PlatformContact.open(file);
    await contact.note(at('2026-11-29T02:00:00.000Z'));
    await contact.note(at('2026-01-01T00:00:00.000Z'));
    expect((await PlatformContact.open(file)).lastContactAt()).toEqual(at('2026-01-01T00:00:00.000Z'));
  });

  it('starts with no known contact from a damaged file, and replaces it at the next answer', async () => {
    await writeFile(file, '{ half a fi');
    const contact = await PlatformContact.open(file);
    expect(contact.lastContactAt()).toBeNull();
    await contact.note(at('2026-11-29T02:00:00.000Z'));
    expect(await stored()).toEqual({ lastContactAt: '2026-11-29T02:00:00.000Z' });
  });
});
