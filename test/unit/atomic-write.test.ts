import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moveIntoPlace, writeFileAtomic } from '../../electron/host/atomic-write';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'yx-atomic-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary file', async () => {
    const path = join(folder, 'enrolment.json');
    await writeFileAtomic(path, 'first');
    await writeFileAtomic(path, 'second');
    expect(await readFile(path, 'utf8')).toBe('second');
    expect(await readdir(folder)).toEqual(['enrolment.json']);
  });

  it.skipIf(process.platform === 'win32')('gives a new file owner-only access unless told otherwise', async () => {
    await writeFileAtomic(join(folder, 'secret.json'), '{}');
    await writeFileAtomic(join(folder, 'index.json'), '{}', 0o644);
    expect((await stat(join(folder, 'secret.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(folder, 'index.json'))).mode & 0o777).toBe(0o644);
  });

  it('fails with the reason when the folder is missing, creating nothing', async () => {
    await expect(writeFileAtomic(join(folder, 'no-such-folder', 'x.json'), 'lost')).rejects.toThrow(/ENOENT/);
    expect(await readdir(folder)).toEqual([]);
  });

  it('cleans up its temporary file when the rename fails after the write', async () => {
    const path = join(folder, 'enrolment.json');
    await mkdir(path);
    await expect(writeFileAtomic(path, 'third')).rejects.toThrow();
    expect(await readdir(folder)).toEqual(['enrolment.json']);
    expect((await stat(path)).isDirectory()).toBe(true);
  });

  it('never shows a reader half a file while it is being replaced', async () => {
    const path = join(folder, 'index.json');
    const versions = Array.from({ length: 20 }, (_, i) => JSON.stringify({ version: i, padding: String(i).repeat(200_000) }));
    await writeFileAtomic(path, versions[0]!);
    let writing = true;
    const seen = new Set<string>();
    const reader = (async () => {
      while (writing) seen.add(await readFile(path, 'utf8'));
    })();
    for (const version of versions.slice(1)) await writeFileAtomic(path, version);
    writing = false;
    await reader;
    for (const text of seen) expect(versions).toContain(text);
    expect(await readFile(path, 'utf8')).toBe(versions.at(-1));
  });

  it('lets concurrent writers race: one of them wins whole', async () => {
    const path = join(folder, 'settings.json');
    const contents = Array.from({ length: 10 }, (_, i) => `writer ${i} `.repeat(10_000 + i * 1_000));
    await Promise.all(contents.map((content) => writeFileAtomic(path, content)));
    expect(contents).toContain(await readFile(path, 'utf8'));
    expect(await readdir(folder)).toEqual(['settings.json']);
  });
});

describe('moveIntoPlace', () => {
  it('puts a finished file over the old one and leaves nothing behind', async () => {
    const path = join(folder, 'lesson.mp4');
    await writeFile(path, 'old');
    await writeFile(`${path}.part`, 'new and verified');
    await moveIntoPlace(`${path}.part`, path);
    expect(await readFile(path, 'utf8')).toBe('new and verified');
    expect(await readdir(folder)).toEqual(['lesson.mp4']);
  });

  it('fails with the reason when there is no finished file, leaving the old one', async () => {
    const path = join(folder, 'lesson.mp4');
    await writeFile(path, 'old');
    await expect(moveIntoPlace(`${path}.part`, path)).rejects.toThrow(/ENOENT/);
    expect(await readFile(path, 'utf8')).toBe('old');
  });
});
