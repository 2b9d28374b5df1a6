import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mountedDrives, removableDriveRoots } from '../../electron/host/removable-drives';

let work: string | undefined;
afterEach(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('removable drives', () => {
  it('looks where desktop and desktop-less Linux mount drives', () => {
    const roots = removableDriveRoots();
    expect(roots).toContain('/media');
    expect(roots.some((r) => r.startsWith('/run/media/'))).toBe(true);
  });

  it('lists the folders under the roots as drives, but not a root nested in another, hidden folders, files or missing roots', async () => {
    work = await mkdtemp(join(tmpdir(), 'yx-drives-'));
    const media = join(work, 'media');
    const perUser = join(media, 'kiosk');
    await mkdir(join(perUser, 'KINGSTON'), { recursive: true });
    await mkdir(join(media, 'sdb1'));
    await mkdir(join(media, '.trash'));
    await writeFile(join(media, 'README'), 'not a drive');
    expect(await mountedDrives([media, perUser, join(work, 'not-there')])).toEqual([join(media, 'sdb1'), join(perUser, 'KINGSTON')].sort());
  });
});
