import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openKioskDatabase, type KioskDatabase } from '../../renderer/db/kiosk-database';
import { classSessionConflictHandler, lessonProgressConflictHandler } from '../../renderer/db/conflict-handlers';
import { recordAttendance } from '../../renderer/checkin/check-in';
import { setJournalWriter } from '../../renderer/db/record-journal';
import { setSessionStatus } from '../../renderer/staff/session-status';
import { startKioskReplication, type KioskReplication } from '../../sync/kiosk/kiosk-replication';
import { DEMO_KIOSK as kiosk, OPEN_DEMO_SESSION } from '../support/class-session';

type Doc = Record<string, unknown> & { id: string };

/**
 * The platform's side of the push-answer contract, in memory (sync/protocol/replication.ts):
 * attendance is stored once and stamped; a session takes a status only with a higher version;
 * every pushed row that differs from the stored one is answered with it. `loseAnswers` commits
 * a push and then fails the request, as a dropped answer does; `gate` holds a push in flight.
 */
class FakePlatform {
  seq = 0;
  rows: Record<string, Map<string, Doc>> = { attendance: new Map(), class_sessions: new Map() };
  loseAnswers = 0;
  /** Lose only this collection's answers: collections push in parallel, in no fixed order. */
  loseAnswersOf: string | null = null;
  gate: Promise<void> | null = null;
  answerLost: (() => void) | null = null;
  /** Answer rows equal to what was sent too, as a platform may. */
  answerEveryRow = false;
  pushes = 0;
  /** Pushed rows that carried the kiosk's own syncState: the real platform would refuse them. */
  syncStateOnWire = 0;

  store(name: string, doc: Doc) {
    this.rows[name]!.set(doc.id, { ...doc, serverSeq: ++this.seq });
  }

  fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input), 'http://kiosk');
    const [, , name, op] = url.pathname.split('/') as [string, string, string, string];
    const rows = this.rows[name] ?? new Map<string, Doc>();
    if (op === 'pull') {
      const after = Number(url.searchParams.get('seq') ?? 0);
      const documents = [...rows.values()].filter((d) => (d.serverSeq as number) > after).sort((a, b) => (a.serverSeq as number) - (b.serverSeq as number));
      const last = documents.at(-1);
      return Response.json({ documents, checkpoint: last ? { seq: last.serverSeq } : after ? { seq: after } : null });
    }
    const gate = this.gate;
    if (gate) {
      this.gate = null;
      await gate;
    }
    this.pushes++;
    const pushed = (JSON.parse(String(init?.body)) as { newDocumentState: Doc }[]).map((r) => r.newDocumentState);
    this.syncStateOnWire += pushed.filter((doc) => 'syncState' in doc).length;
    for (const doc of pushed) {
      const stored = rows.get(doc.id);
      if (name === 'attendance' && !stored) this.store(name, { ...doc, receivedAt: new Date().toISOString() });
      if (name === 'class_sessions' && stored && (doc.statusVersion as number) > (stored.statusVersion as number)) {
        this.store(name, { ...stored, status: doc.status, statusVersion: doc.statusVersion });
      }
    }
    const answers = pushed
      .map((doc) => rows.get(doc.id)!)
      .filter((stored) => this.answerEveryRow || JSON.stringify(stored) !== JSON.stringify(pushed.find((d) => d.id === stored.id)));
    if (this.loseAnswers > 0 && (this.loseAnswersOf ?? name) === name) {
      this.loseAnswers--;
      this.answerLost?.();
      throw new TypeError('Failed to fetch');
    }
    return Response.json(answers);
  };
}

let db: KioskDatabase;
let platform: FakePlatform;
let replication: KioskReplication | null = null;
const session = { ...OPEN_DEMO_SESSION, status: 'planned' as const, statusVersion: 0 };
const start = () => startKioskReplication(db.collections, { baseUrl: '', pullIntervalMs: 60_000, retryMs: 20, fetch: platform.fetch });

beforeEach(async () => {
  // No kiosk host here: the journal is the host's concern (test/unit/record-journal.test.ts).
  setJournalWriter(async () => undefined);
  db = await openKioskDatabase(`converge-${Math.random().toString(36).slice(2)}`, getRxStorageDexie({ indexedDB, IDBKeyRange }));
  platform = new FakePlatform();
  platform.store('class_sessions', { ...session });
  await db.class_sessions.insert({ ...session, serverSeq: 1 });
});

afterEach(async () => {
  await replication?.stop();
  replication = null;
  await db.close();
});

describe('kiosk convergence with the platform', () => {
  it('learns receivedAt when the answer to a committed push was lost and the kiosk restarted before the replay', async () => {
    await db.class_sessions.findOne(session.id).incrementalPatch({ status: 'open', statusVersion: 1 });
    platform.store('class_sessions', { ...session, status: 'open', statusVersion: 1 });
    platform.loseAnswers = 1;
    platform.loseAnswersOf = 'attendance';
    const lost = new Promise<void>((resolve) => (platform.answerLost = resolve));
    await recordAttendance(db, { ...session, status: 'open' }, kiosk, 'GD2026000101', '陈秀英', 'scanner', new Date(session.startsAt));
    replication = start();
    await lost;
    // Killed before the retry: the next start pulls the stored row first, then replays the push.
    await replication.stop();
    expect(platform.rows.attendance!.size).toBe(1);
    replication = start();
    await expect.poll(async () => (await db.attendance.findOne().exec())?.receivedAt, { timeout: 5000 }).toBeDefined();
    expect(platform.rows.attendance!.size).toBe(1);
  });

  it('keeps a status change staff made while the previous one was in flight, and pushes it', async () => {
    let release!: () => void;
    platform.gate = new Promise((resolve) => (release = resolve));
    replication = start();
    await setSessionStatus(db, session.id, 'open'); // v1, held in flight
    await new Promise((resolve) => setTimeout(resolve, 50));
    await setSessionStatus(db, session.id, 'closed'); // v2, made meanwhile
    release();
    await expect.poll(() => platform.rows.class_sessions!.get(session.id)?.statusVersion, { timeout: 5000 }).toBe(2);
    await expect.poll(async () => (await db.class_sessions.findOne(session.id).exec())!.statusVersion, { timeout: 5000 }).toBe(2);
    expect(platform.rows.class_sessions!.get(session.id)!.status).toBe('closed');
    expect((await db.class_sessions.findOne(session.id).exec())!.status).toBe('closed');
  });

  it('never lets a stale push, committed with its answer lost, reopen a class staff closed since', async () => {
    let release!: () => void;
    platform.gate = new Promise((resolve) => (release = resolve));
    platform.loseAnswers = 1;
    replication = start();
    await setSessionStatus(db, session.id, 'open'); // v1: committed, answer lost
    await new Promise((resolve) => setTimeout(resolve, 50));
    await setSessionStatus(db, session.id, 'closed'); // v2
    release();
    await expect.poll(() => platform.rows.class_sessions!.get(session.id)?.status, { timeout: 5000 }).toBe('closed');
    await replication.stop();
    // A replay of the v1 push (a duplicate the network delivered late) changes nothing.
    await platform.fetch('/sync/class_sessions/push', {
      method: 'POST',
      body: JSON.stringify([{ newDocumentState: { ...session, status: 'open', statusVersion: 1 } }]),
    });
    replication = start();
    replication.syncNow();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(platform.rows.class_sessions!.get(session.id)).toMatchObject({ status: 'closed', statusVersion: 2 });
    expect((await db.class_sessions.findOne(session.id).exec())!.toJSON()).toMatchObject({ status: 'closed', statusVersion: 2 });
  });
});

describe('a platform that answers every row, equal or not', () => {
  it('settles each row after one more push instead of pushing it for ever', async () => {
    platform.answerEveryRow = true;
    await db.class_sessions.findOne(session.id).incrementalPatch({ status: 'open', statusVersion: 1 });
    platform.store('class_sessions', { ...session, status: 'open', statusVersion: 1 });
    await recordAttendance(db, { ...session, status: 'open' }, kiosk, 'GD2026000101', '陈秀英', 'scanner', new Date(session.startsAt));
    replication = start();
    await expect.poll(async () => (await db.attendance.findOne().exec())?.receivedAt, { timeout: 5000 }).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const settled = platform.pushes;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(platform.pushes).toBe(settled);
    expect((await db.attendance.findOne().exec())!.syncState).toBe('received');
    expect(platform.syncStateOnWire).toBe(0);
  });
});

describe('conflict handlers', () => {
  const progress = {
    id: 'p',
    learnerId: 'L',
    courseId: 'c',
    lessonId: 'l',
    siteId: 'S',
    kioskId: 'K',
    positionSeconds: 50,
    durationSeconds: 100,
    completed: false,
    deviceTime: '2026-11-23T06:00:00.000Z',
    _deleted: false,
  };

  it('lesson progress keeps a position ahead of the answer (waiting again), else takes the platform state whole', async () => {
    const platformState = { ...progress, positionSeconds: 20, receivedAt: '2026-11-23T06:01:00.000Z', serverSeq: 4 };
    const resolved = await lessonProgressConflictHandler.resolve({ newDocumentState: progress, realMasterState: platformState }, 'test');
    expect(resolved).toEqual({ ...progress, serverSeq: 4, syncState: 'waiting' });
    const caughtUp = { ...progress, receivedAt: '2026-11-23T06:01:00.000Z', serverSeq: 5 };
    expect(await lessonProgressConflictHandler.resolve({ newDocumentState: progress, realMasterState: caughtUp }, 'test')).toBe(caughtUp);
    const refused = { ...progress, positionSeconds: 20, refusal: { reason: 'unknown-lesson' as const, message: 'no such lesson' } };
    expect(await lessonProgressConflictHandler.resolve({ newDocumentState: progress, realMasterState: refused }, 'test')).toBe(refused);
  });

  it('a session keeps this kiosk status only when its version is higher than the platform answer', async () => {
    const local = { ...session, status: 'closed' as const, statusVersion: 3 };
    const older = { ...session, status: 'open' as const, statusVersion: 2, title: 'renamed by the platform' };
    expect(await classSessionConflictHandler.resolve({ newDocumentState: local, realMasterState: older }, 'test')).toEqual({
      ...older,
      status: 'closed',
      statusVersion: 3,
    });
    const newer = { ...older, statusVersion: 3 };
    expect(await classSessionConflictHandler.resolve({ newDocumentState: local, realMasterState: newer }, 'test')).toBe(newer);
  });
});
