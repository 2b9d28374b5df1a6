import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, RecordJournal } from '../../electron/host/record-journal';
import { attendanceRecordId } from '../../sync/protocol/attendance-record';
import { lessonProgressId } from '../../sync/protocol/lesson-progress';
import type { JournalEntry } from '../../sync/protocol/kiosk-host-api';

const SESSION = '1d7c1f64-3f36-4bd4-9a3e-2a4b7f5f0c11';
let dir: string;
let path: string;

function attendance(learnerId: string, kioskId = 'KIOSK-OLD', siteId = 'SITE-1'): JournalEntry {
  return {
    kind: 'attendance',
    record: { id: attendanceRecordId(SESSION, learnerId), classSessionId: SESSION, learnerId, siteId, kioskId, method: 'scanner', onRoster: true, deviceTime: '2026-11-23T06:10:00.000Z' },
  };
}

function progress(positionSeconds: number, deviceTime: string): JournalEntry {
  return {
    kind: 'lesson_progress',
    record: {
      id: lessonProgressId('GD1', 'c', 'l'),
      learnerId: 'GD1',
      courseId: 'c',
      lessonId: 'l',
      siteId: 'SITE-1',
      kioskId: 'KIOSK-OLD',
      positionSeconds,
      durationSeconds: 100,
      completed: false,
      deviceTime,
    },
  };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yx-journal-'));
  path = join(dir, JOURNAL_FILE);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('record journal', () => {
  it('has each record on disk when append resolves, and gives it back after a restart', async () => {
    const journal = await RecordJournal.open(path);
    await Promise.all([journal.append(attendance('GD1')), journal.append(attendance('GD2'))]);
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { entry: JournalEntry }).entry.record.learnerId).sort()).toEqual(['GD1', 'GD2']);
    const reopened = await RecordJournal.open(path);
    expect(reopened.waitingCount()).toBe(2);
  });

  it('skips a last line cut short by a power cut, keeping every whole record', async () => {
    const journal = await RecordJournal.open(path);
    await journal.append(attendance('GD1'));
    await appendFile(path, '{"at":"2026-11-23T06:11:00.000Z","entry":{"kind":"attend');
    const reopened = await RecordJournal.open(path);
    expect(reopened.waitingFor('KIOSK-OLD', 'SITE-1').map((e) => e.record.learnerId)).toEqual(['GD1']);
    // The cut line is gone from the file once it is rewritten, so later lines are whole again.
    await reopened.append(attendance('GD2'));
    expect((await RecordJournal.open(path)).waitingCount()).toBe(2);
  });

  it('lets go of what the platform confirmed, but not of a later state of the same record', async () => {
    const journal = await RecordJournal.open(path);
    await journal.append(attendance('GD1'));
    await journal.append(progress(10, '2026-11-23T06:10:00.000Z'));
    await journal.append(progress(50, '2026-11-23T06:11:00.000Z'));
    await journal.confirm([
      { id: attendanceRecordId(SESSION, 'GD1'), deviceTime: '2026-11-23T06:10:00.000Z' },
      { id: lessonProgressId('GD1', 'c', 'l'), deviceTime: '2026-11-23T06:10:00.000Z' },
    ]);
    expect(journal.waitingFor('KIOSK-OLD', 'SITE-1')).toEqual([progress(50, '2026-11-23T06:11:00.000Z')]);
    // A restart rewrites the file with only what still waits.
    const reopened = await RecordJournal.open(path);
    expect(reopened.waitingCount()).toBe(1);
    expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('carries waiting records over to a new enrolment at the same site, and keeps those of another site', async () => {
    const journal = await RecordJournal.open(path);
    await journal.append(attendance('GD1'));
    await journal.append(attendance('GD2', 'KIOSK-OLD', 'SITE-2'));
    expect(journal.waitingCount()).toBe(2);
    const carried = journal.waitingFor('KIOSK-NEW', 'SITE-1');
    expect(carried).toHaveLength(1);
    // Same record id (derived from session and learner), the kiosk in force named in it.
    expect(carried[0]!.record).toEqual({ ...attendance('GD1').record, kioskId: 'KIOSK-NEW' });
    expect(journal.waitingCount()).toBe(2);
  });
});

describe('record journal on a kiosk that runs for months', () => {
  it('rewrites its file once it holds far more lines than waiting records', async () => {
    const journal = await RecordJournal.open(path);
    for (let second = 0; second < 1100; second++) {
      await journal.append(progress(second % 100, new Date(Date.UTC(2026, 10, 23, 6, 0, second)).toISOString()));
    }
    await journal.append(attendance('GD1'));
    await journal.confirm([{ id: lessonProgressId('GD1', 'c', 'l'), deviceTime: '2026-11-23T07:00:00.000Z' }]);
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { entry: JournalEntry }).entry.record.learnerId)).toEqual(['GD1']);
    await journal.append(attendance('GD2'));
    expect((await RecordJournal.open(path)).waitingCount()).toBe(2);
  });
});
