import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoCourses } from '../../assets/demo-courses';
import { CourseCache } from '../../electron/host/course-cache/course-cache';
import { startKioskHost, type RunningKioskHost } from '../../electron/host/kiosk-host';
import { platformContentSource, writeCourseExport, type SignedCourse } from '../../sync/platform/admin/course-export';
import { importCourseManifest } from '../../sync/platform/admin/courses';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import {
  COURSE_EXPORT_INDEX_FILE,
  COURSE_EXPORT_PARTIAL_FILE,
  SIGNED_MANIFEST_FILE,
  type CourseExportIndex,
  type SignedCourseManifest,
} from '../../sync/protocol/course-export';
import { CourseImportRoutes, type CourseImportStatus, type CourseSourcesAnswer } from '../../sync/protocol/course-import-api';
import { parseCoursePackage, type CoursePackage } from '../../sync/protocol/course-package';
import { KioskHostRoutes, type CacheListing } from '../../sync/protocol/kiosk-host-api';
import { runAdminCli, type CliResult } from '../support/admin-cli';
import { staffHeaders, testSettings } from '../support/kiosk';
import { startTestPlatform, TEST_ADMIN_TOKEN } from '../support/platform';

let work: string;
let contentDir: string;
let media: string;
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let credential: string;
let kiosk: RunningKioskHost;
let cacheDir: string;
let staff: Record<string, string>;
let smartphone: CoursePackage;

/** A drive as udisks mounts it: a folder under the kiosk's removable-drive root. */
function drive(label: string): string {
  return join(media, label);
}

/**
 * The export as an operator makes it: the CLI in its own process on the platform's database when
 * there is a PostgreSQL server; with the in-memory PGlite (no second process can open it), the
 * same steps the CLI takes through a running platform: its admin API signs, /content/ serves.
 */
async function exportCourses(out: string, courseIds: string[]): Promise<CliResult> {
  if (platform.databaseUrl) {
    const env = { ...process.env, DATABASE_URL: platform.databaseUrl, PLATFORM_CONTENT_DIR: contentDir, YUEXUE_DATA_DIR: work };
    return runAdminCli(['courses', 'export', '--out', out, ...courseIds.flatMap((id) => ['--course', id])], env);
  }
  const response = await fetch(`${platform.url}/admin/courses/signed`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ courseIds }),
  });
  if (!response.ok) return { code: 1, stdout: '', stderr: await response.text() };
  const index = await writeCourseExport(out, (await response.json()) as SignedCourse[], platformContentSource(platform.url));
  return { code: 0, stdout: index.courses.map((c) => `Course ${c.id} version ${c.version}`).join('\n'), stderr: '' };
}

async function sources(host = kiosk, headers = staff): Promise<CourseSourcesAnswer> {
  const response = await fetch(`${host.url}${CourseImportRoutes.sources}`, { headers });
  expect(response.status).toBe(200);
  return (await response.json()) as CourseSourcesAnswer;
}

/** Starts an import and waits for it to finish, as the staff screen polls it. */
async function importCourses(exportPath: string, courseIds: string[], host = kiosk, headers = staff): Promise<CourseImportStatus> {
  const started = await fetch(`${host.url}${CourseImportRoutes.imports}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ exportPath, courseIds }),
  });
  expect(started.status).toBe(202);
  for (;;) {
    const status = (await (await fetch(`${host.url}${CourseImportRoutes.imports}`, { headers })).json()) as CourseImportStatus;
    if (status.state === 'finished') return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function listing(): Promise<CacheListing> {
  return (await (await fetch(`${kiosk.url}${KioskHostRoutes.courses}`, { headers: staff })).json()) as CacheListing;
}

/** Nothing of a refused import stays in the cache folder: no staging copy, no course folder. */
async function cacheFolders(): Promise<string[]> {
  return (await readdir(cacheDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'yx-course-usb-'));
  contentDir = join(work, 'platform-content');
  media = join(work, 'media');
  await mkdir(media);
  await writeDemoCourses(contentDir);
  platform = await startTestPlatform(contentDir);
  credential = (await seedDemo(platform.database.pool, null)).kioskCredential!;
  const rendererDir = join(work, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>test</title></head><body></body></html>');
  cacheDir = join(work, 'kiosk-cache');
  kiosk = await startKioskHost({
    rendererDir,
    courseCache: await CourseCache.open({ dir: cacheDir, budgetBytes: 50_000_000 }),
    settings: await testSettings(platform.url),
    enrolment: { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, credential },
    journalFile: join(work, 'kiosk', 'record-journal.jsonl'),
    removableDriveRoots: [media],
  });
  staff = await staffHeaders(kiosk.url);
  const { rows } = await platform.database.pool.query<{ manifest: unknown }>(`select manifest from courses where id = 'smartphone-basics'`);
  smartphone = parseCoursePackage(rows[0]!.manifest);
  // The host reads the platform's keys at start; wait until it has them on disk.
  for (let i = 0; i < 200; i++) {
    if ((await readdir(join(work, 'kiosk')).catch((): string[] => [])).includes('platform-keys.json')) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}, 120_000);

afterAll(async () => {
  await kiosk?.close();
  await platform?.close();
  await rm(work, { recursive: true, force: true });
}, 120_000);

describe('courses by USB', () => {
  it('exports signed course packages, index last, one folder per course', async () => {
    const out = join(drive('KINGSTON'), 'yuexue-courses');
    const result = await exportCourses(out, ['smartphone-basics', 'cantonese-cuisine']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Course smartphone-basics version 1');
    const names = await readdir(out);
    expect(names).toContain(COURSE_EXPORT_INDEX_FILE);
    expect(names).not.toContain(COURSE_EXPORT_PARTIAL_FILE);
    const index = JSON.parse(await readFile(join(out, COURSE_EXPORT_INDEX_FILE), 'utf8')) as CourseExportIndex;
    expect(index.courses.map((c) => c.id)).toEqual(['cantonese-cuisine', 'smartphone-basics']);
    // The files are the platform's, byte for byte.
    const lesson = smartphone.lessons[0]!;
    expect(await readFile(join(out, 'smartphone-basics', lesson.file))).toEqual(await readFile(join(contentDir, 'smartphone-basics', lesson.file)));
    const signed = JSON.parse(await readFile(join(out, 'smartphone-basics', SIGNED_MANIFEST_FILE), 'utf8')) as SignedCourseManifest;
    expect(JSON.parse(signed.manifest)).toEqual(smartphone);
    expect(signed.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
  }, 120_000);

  it('names a course the catalog does not have, and writes no index', async () => {
    const out = join(work, 'not-a-course');
    const result = await exportCourses(out, ['no-such-course']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('no-such-course');
    expect(await readdir(out).catch(() => [])).not.toContain(COURSE_EXPORT_INDEX_FILE);
  }, 120_000);

  it('lists the drive and its courses for staff, titles from the signed manifests', async () => {
    const { sources: found } = await sources();
    const stick = found.find((s) => s.label === 'KINGSTON')!;
    expect(stick.kind).toBe('removable');
    expect(stick.exports).toHaveLength(1);
    const course = stick.exports[0]!.courses.find((c) => c.id === 'smartphone-basics')!;
    expect(course.title?.en).toBe(smartphone.title.en);
    expect(course.cachedVersion).toBeNull();
    expect(course.problem).toBeUndefined();
  });

  it('imports a course into the cache, counted in the budget and played from the kiosk', async () => {
    const out = join(drive('KINGSTON'), 'yuexue-courses');
    const status = await importCourses(out, ['smartphone-basics']);
    expect(status.courses).toEqual([expect.objectContaining({ courseId: 'smartphone-basics', state: 'imported' })]);
    const total = smartphone.lessons.reduce((sum, l) => sum + l.bytes + (l.subtitles?.bytes ?? 0), 0);
    expect(status.courses[0]!.receivedBytes).toBe(total);
    const cached = await listing();
    expect(cached.courses.find((c) => c.id === 'smartphone-basics')).toMatchObject({ state: 'ready', bytes: total });
    expect(cached.usedBytes).toBe(total);
    const lesson = smartphone.lessons[0]!;
    const played = await fetch(`${kiosk.url}/content/smartphone-basics/${lesson.file}`, { headers: { range: 'bytes=0-99' } });
    expect(played.status).toBe(206);
    expect((await played.arrayBuffer()).byteLength).toBe(100);
    expect(await cacheFolders()).toEqual(['smartphone-basics']);
    // A second import of the same version copies nothing.
    const again = await importCourses(out, ['smartphone-basics']);
    expect(again.courses[0]!.state).toBe('unchanged');
  }, 120_000);

  it('refuses a tampered file, naming it, and keeps nothing of the course', async () => {
    const copy = join(drive('TAMPERED'), 'yuexue-courses');
    await cp(join(drive('KINGSTON'), 'yuexue-courses'), copy, { recursive: true });
    const cuisine = parseCoursePackage(JSON.parse((JSON.parse(await readFile(join(copy, 'cantonese-cuisine', SIGNED_MANIFEST_FILE), 'utf8')) as SignedCourseManifest).manifest));
    const victim = cuisine.lessons[cuisine.lessons.length - 1]!.file;
    const bytes = await readFile(join(copy, 'cantonese-cuisine', victim));
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    await writeFile(join(copy, 'cantonese-cuisine', victim), bytes);
    const status = await importCourses(copy, ['cantonese-cuisine']);
    expect(status.courses[0]).toMatchObject({ state: 'refused', code: 'checksum-mismatch' });
    expect(status.courses[0]!.message).toContain(join(copy, 'cantonese-cuisine', victim));
    expect((await listing()).courses.map((c) => c.id)).toEqual(['smartphone-basics']);
    expect(await cacheFolders()).toEqual(['smartphone-basics']);
  }, 120_000);

  it('refuses a package with a missing file, naming it', async () => {
    const copy = join(drive('SHORT'), 'yuexue-courses');
    await cp(join(drive('KINGSTON'), 'yuexue-courses'), copy, { recursive: true });
    const cuisine = (JSON.parse(await readFile(join(copy, COURSE_EXPORT_INDEX_FILE), 'utf8')) as CourseExportIndex).courses.find((c) => c.id === 'cantonese-cuisine')!;
    const files = (await readdir(join(copy, cuisine.folder))).filter((f) => f !== SIGNED_MANIFEST_FILE).sort();
    const gone = files[files.length - 1]!;
    await rm(join(copy, cuisine.folder, gone));
    const status = await importCourses(copy, ['cantonese-cuisine']);
    expect(status.courses[0]).toMatchObject({ state: 'refused', code: 'missing-file' });
    expect(status.courses[0]!.message).toContain(join(copy, cuisine.folder, gone));
    expect(await cacheFolders()).toEqual(['smartphone-basics']);
  }, 120_000);

  it('refuses a manifest whose signature does not match, in the listing and on import', async () => {
    const copy = join(drive('FORGED'), 'yuexue-courses');
    await cp(join(drive('KINGSTON'), 'yuexue-courses'), copy, { recursive: true });
    const path = join(copy, 'cantonese-cuisine', SIGNED_MANIFEST_FILE);
    const signed = JSON.parse(await readFile(path, 'utf8')) as SignedCourseManifest;
    // More credit for the same course: exactly what a signature is there to stop.
    const manifest = JSON.parse(signed.manifest) as CoursePackage;
    await writeFile(path, JSON.stringify({ ...signed, manifest: JSON.stringify({ ...manifest, creditHours: manifest.creditHours + 100 }) }));
    const listed = (await sources()).sources.find((s) => s.label === 'FORGED')!.exports[0]!.courses.find((c) => c.id === 'cantonese-cuisine')!;
    expect(listed.problem).toContain(path);
    expect(listed.title).toBeNull();
    const status = await importCourses(copy, ['cantonese-cuisine']);
    expect(status.courses[0]).toMatchObject({ state: 'refused', code: 'signature' });
    expect(status.courses[0]!.message).toContain("does not carry the platform's signature");
    expect(await cacheFolders()).toEqual(['smartphone-basics']);
  }, 120_000);

  it('keeps the cached version playable when a newer version on the drive is refused', async () => {
    await importCourseManifest(platform.database.pool, { ...smartphone, version: 2 });
    const out = join(drive('NEWER'), 'yuexue-courses');
    expect((await exportCourses(out, ['smartphone-basics'])).code).toBe(0);
    const lesson = smartphone.lessons[0]!;
    const bytes = await readFile(join(out, 'smartphone-basics', lesson.file));
    bytes[0]! ^= 0xff;
    await writeFile(join(out, 'smartphone-basics', lesson.file), bytes);
    const status = await importCourses(out, ['smartphone-basics']);
    expect(status.courses[0]).toMatchObject({ state: 'refused', code: 'checksum-mismatch' });
    expect((await listing()).courses.find((c) => c.id === 'smartphone-basics')).toMatchObject({ state: 'ready' });
    expect((await fetch(`${kiosk.url}/content/smartphone-basics/${lesson.file}`)).status).toBe(200);
    const listed = (await sources()).sources.find((s) => s.label === 'NEWER')!.exports[0]!.courses[0]!;
    expect(listed).toMatchObject({ version: 2, cachedVersion: 1 });
  }, 120_000);

  it('shows an unfinished export as unfinished and will not import from it', async () => {
    const out = join(drive('PULLED'), 'yuexue-courses');
    await cp(join(drive('KINGSTON'), 'yuexue-courses'), out, { recursive: true });
    await rm(join(out, COURSE_EXPORT_INDEX_FILE));
    await writeFile(join(out, COURSE_EXPORT_PARTIAL_FILE), 'not finished\n');
    const listed = (await sources()).sources.find((s) => s.label === 'PULLED')!.exports[0]!;
    expect(listed).toMatchObject({ unfinished: true, courses: [] });
    const started = await fetch(`${kiosk.url}${CourseImportRoutes.imports}`, {
      method: 'POST',
      headers: { ...staff, 'content-type': 'application/json' },
      body: JSON.stringify({ exportPath: out, courseIds: ['smartphone-basics'] }),
    });
    expect(started.status).toBe(422);
    expect(((await started.json()) as { message: string }).message).toContain('never finished');
  });

  it('imports only from an export it listed, and only for staff', async () => {
    const anywhere = await fetch(`${kiosk.url}${CourseImportRoutes.imports}`, {
      method: 'POST',
      headers: { ...staff, 'content-type': 'application/json' },
      body: JSON.stringify({ exportPath: contentDir, courseIds: ['smartphone-basics'] }),
    });
    expect(anywhere.status).toBe(404);
    expect((await fetch(`${kiosk.url}${CourseImportRoutes.sources}`)).status).toBe(401);
  });

  it('refuses a course over the storage budget with a clear message, copying nothing', async () => {
    const smallDir = join(work, 'small-cache');
    const small = await startKioskHost({
      rendererDir: join(work, 'renderer'),
      courseCache: await CourseCache.open({ dir: smallDir, budgetBytes: 1000 }),
      settings: await testSettings(platform.url),
      enrolment: { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, credential },
      journalFile: join(work, 'small-kiosk', 'record-journal.jsonl'),
      removableDriveRoots: [media],
    });
    try {
      // Keys come from the platform at start; the listing is the host's own view of them.
      for (let i = 0; i < 200; i++) {
        if ((await readdir(join(work, 'small-kiosk')).catch((): string[] => [])).includes('platform-keys.json')) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const headers = await staffHeaders(small.url);
      const status = await importCourses(join(drive('KINGSTON'), 'yuexue-courses'), ['smartphone-basics'], small, headers);
      expect(status.courses[0]).toMatchObject({ state: 'refused', code: 'over-budget' });
      expect(status.courses[0]!.message).toContain('1000-byte budget');
      expect(await readdir(smallDir)).toEqual(['cache-index.json']);
    } finally {
      await small.close();
    }
  }, 120_000);
});
