import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoCourses } from '../../assets/demo-courses';
import { CourseCache } from '../../electron/host/course-cache/course-cache';
import { startKioskHost, type RunningKioskHost } from '../../electron/host/kiosk-host';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { parseCoursePackage, type CoursePackage } from '../../sync/protocol/course-package';
import type { CourseRecord } from '../../sync/protocol/course-record';
import { lessonProgressId, type LessonProgress } from '../../sync/protocol/lesson-progress';
import { learningRecordStatements } from '../../sync/platform/admin/xapi';
import { staffHeaders, testSettings } from '../support/kiosk';
import { startTestPlatform } from '../support/platform';

let work: string;
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let kiosk: RunningKioskHost;
let credential: string;
let courses: CoursePackage[];

async function sync(method: string, path: string, body?: unknown) {
  const response = await fetch(`${platform.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${credential}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as never };
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await platform.database.pool.query<{ n: string }>(sql, params);
  return Number(rows[0]!.n);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'yx-courses-'));
  const contentDir = join(work, 'platform-content');
  await writeDemoCourses(contentDir);
  platform = await startTestPlatform(contentDir);
  credential = (await seedDemo(platform.database.pool, null)).kioskCredential!;
  const rendererDir = join(work, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>test</title></head><body></body></html>');
  const cache = await CourseCache.open({ dir: join(work, 'kiosk-cache'), budgetBytes: 50_000_000, minRetryMs: 10 });
  kiosk = await startKioskHost({
    rendererDir,
    courseCache: cache,
    settings: await testSettings(platform.url),
    enrolment: { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, credential },
    journalFile: join(work, 'record-journal.jsonl'),
  });
});

afterAll(async () => {
  await kiosk?.close();
  await platform?.close();
  await rm(work, { recursive: true, force: true });
});

describe('course packages end to end', () => {
  it('replicates the course catalog with valid package manifests', async () => {
    const pulled = await sync('GET', '/sync/courses/pull');
    expect(pulled.status).toBe(200);
    const documents = (pulled.body as { documents: CourseRecord[] }).documents;
    courses = documents.map((d) => parseCoursePackage(d.manifest, d.id));
    expect(courses.map((c) => c.id).sort()).toEqual(['cantonese-cuisine', 'nev-maintenance', 'smartphone-basics']);
  });

  it('serves package files from the platform with HTTP Range', async () => {
    const lesson = courses.find((c) => c.id === 'smartphone-basics')!.lessons[0]!;
    const response = await fetch(`${platform.url}/content/smartphone-basics/${lesson.file}`, { headers: { range: 'bytes=100-199' } });
    expect(response.status).toBe(206);
    expect((await response.arrayBuffer()).byteLength).toBe(100);
  });

  it('downloads a course into the kiosk cache and plays it with Range seeking (206)', async () => {
    const course = courses.find((c) => c.id === 'smartphone-basics')!;
    const before = await fetch(`${kiosk.url}/content/smartphone-basics/${course.lessons[0]!.file}`);
    expect(before.status).toBe(404);
    // As a learner opening it: the host takes the manifest from the platform's catalog itself.
    const started = await fetch(`${kiosk.url}/kiosk/courses/${course.id}/open`, { method: 'POST' });
    expect(started.status).toBe(202);
    await expect
      .poll(async () => ((await (await fetch(`${kiosk.url}/kiosk/courses/${course.id}`)).json()) as { state: string }).state, { timeout: 20_000 })
      .toBe('ready');
    const lesson = course.lessons[0]!;
    const whole = await readFile(join(work, 'platform-content', course.id, lesson.file));
    const seek = await fetch(`${kiosk.url}/content/${course.id}/${lesson.file}`, { headers: { range: `bytes=${lesson.bytes - 1000}-` } });
    expect(seek.status).toBe(206);
    expect(seek.headers.get('content-range')).toBe(`bytes ${lesson.bytes - 1000}-${lesson.bytes - 1}/${lesson.bytes}`);
    expect(Buffer.from(await seek.arrayBuffer())).toEqual(whole.subarray(lesson.bytes - 1000));
    const captions = await fetch(`${kiosk.url}/content/${course.id}/${lesson.subtitles!.file}`);
    expect(await captions.text()).toMatch(/^WEBVTT/);
    expect((await fetch(`${kiosk.url}/content/cache-index.json`)).status).toBeGreaterThanOrEqual(400);
  });

  it('refuses an invalid manifest with a message that names the field', async () => {
    const bad = { ...courses[0]!, category: 'cooking' };
    const response = await fetch(`${kiosk.url}/kiosk/courses/${bad.id}/download`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await staffHeaders(kiosk.url)) },
      body: JSON.stringify(bad),
    });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { message: string }).message).toMatch(/\/category/);
  });

  it("lets a learner open only a course the platform's catalog lists, and downloads nothing else", async () => {
    const response = await fetch(`${kiosk.url}/kiosk/courses/no-such-course/open`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ state: 'failed', code: 'not-in-catalog', message: expect.stringMatching(/not in the platform's catalog/) });
    expect((await (await fetch(`${kiosk.url}/kiosk/courses/no-such-course`)).json()) as { state: string }).toMatchObject({ state: 'absent' });
  });

  it('turns a completed lesson into exactly one lesson credit entry', async () => {
    const course = courses.find((c) => c.id === 'cantonese-cuisine')!;
    const lesson = course.lessons[0]!;
    const learnerId = 'GD2026000105';
    const progress = (positionSeconds: number, completed: boolean): LessonProgress => ({
      id: lessonProgressId(learnerId, course.id, lesson.id),
      learnerId,
      courseId: course.id,
      lessonId: lesson.id,
      siteId: DEMO_SITE_ID,
      kioskId: DEMO_KIOSK_ID,
      positionSeconds,
      durationSeconds: lesson.durationSeconds,
      completed,
      ...(completed ? { completedAt: new Date().toISOString() } : {}),
      deviceTime: new Date().toISOString(),
      _deleted: false,
    });
    const ledger = () => count(`select count(*) as n from credit_ledger where learner_id = $1 and source_type = 'lesson'`, [learnerId]);
    expect((await sync('POST', '/sync/lesson_progress/push', [{ newDocumentState: progress(20, false) }])).body).toMatchObject([
      { positionSeconds: 20, completed: false, receivedAt: expect.any(String) },
    ]);
    expect(await ledger()).toBe(0);
    for (let i = 0; i < 2; i++) {
      expect((await sync('POST', '/sync/lesson_progress/push', [{ newDocumentState: progress(58, true) }])).status).toBe(200);
    }
    expect(await ledger()).toBe(1);
    const { rows } = await platform.database.pool.query<{ hours: string }>(
      `select hours from credit_ledger where learner_id = $1 and source_type = 'lesson'`,
      [learnerId],
    );
    expect(Number(rows[0]!.hours)).toBe(course.creditHours / course.lessons.length);
    // A later, shorter replay from another visit does not undo completion, nor move the position back.
    await sync('POST', '/sync/lesson_progress/push', [{ newDocumentState: progress(5, false) }]);
    const pulled = (await sync('GET', '/sync/lesson_progress/pull')).body as { documents: LessonProgress[] };
    expect(pulled.documents.find((d) => d.learnerId === learnerId)).toMatchObject({ completed: true, positionSeconds: 58 });
    expect(await ledger()).toBe(1);
    // The completion is a learning record for the credit bank: one xAPI "completed" statement.
    const statements = (await learningRecordStatements(platform.database.pool, {})).filter((st) => st.actor.account.name === learnerId);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ id: progress(5, false).id, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' } });
  });

  it('refuses progress for a lesson the course does not have, per row, and keeps it', async () => {
    const id = lessonProgressId('GD2026000106', 'cantonese-cuisine', 'no-such-lesson');
    const response = await sync('POST', '/sync/lesson_progress/push', [
      {
        newDocumentState: {
          id,
          learnerId: 'GD2026000106',
          courseId: 'cantonese-cuisine',
          lessonId: 'no-such-lesson',
          siteId: DEMO_SITE_ID,
          kioskId: DEMO_KIOSK_ID,
          positionSeconds: 1,
          durationSeconds: 2,
          completed: false,
          deviceTime: new Date().toISOString(),
          _deleted: false,
        },
      },
    ]);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject([{ id, refusal: { reason: 'unknown-lesson' } }]);
    expect(await count(`select count(*) as n from sync_refusals where record_id = $1`, [id])).toBe(1);
  });
});
