import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openKioskDatabase, type KioskDatabase } from '../../renderer/db/kiosk-database';
import { recordAttendance } from '../../renderer/checkin/check-in';
import { setJournalWriter } from '../../renderer/db/record-journal';
import { proposedSessions, saveProposedSessions } from '../../renderer/staff/propose-session';
import { startKioskReplication, type KioskReplication } from '../../sync/kiosk/kiosk-replication';
import { DEMO_KIOSK as kiosk } from '../support/class-session';

type Doc = Record<string, unknown> & { id: string };

/**
 * A platform that, like the real one, refuses a check-in into a session it does not have, and is
 * slow to answer session pushes: a check-in pushed on its own would overtake its class.
 */
class SlowSessionPlatform {
  seq = 0;
  sessions = new Map<string, Doc>();
  attendance = new Map<string, Doc>();
  refused: string[] = [];

  fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input), 'http://kiosk');
    const [, , name, op] = url.pathname.split('/') as [string, string, string, string];
    if (op === 'pull') return Response.json({ documents: [], checkpoint: null });
    const pushed = (JSON.parse(String(init?.body)) as { newDocumentState: Doc }[]).map((r) => r.newDocumentState);
    if (name === 'class_sessions') {
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const doc of pushed) if (!this.sessions.has(doc.id)) this.sessions.set(doc.id, { ...doc, serverSeq: ++this.seq });
      return Response.json(pushed.map((d) => this.sessions.get(d.id)));
    }
    if (name === 'attendance') {
      return Response.json(
        pushed.map((doc) => {
          if (!this.sessions.has(doc.classSessionId as string)) {
            this.refused.push(doc.id);
            return { ...doc, refusal: { reason: 'unknown-session', message: 'no such class' } };
          }
          if (!this.attendance.has(doc.id)) this.attendance.set(doc.id, { ...doc, receivedAt: new Date().toISOString(), serverSeq: ++this.seq });
          return this.attendance.get(doc.id);
        }),
      );
    }
    return Response.json([]);
  };
}

let db: KioskDatabase;
let replication: KioskReplication | null = null;

beforeEach(async () => {
  setJournalWriter(async () => undefined);
  db = await openKioskDatabase(`proposal-order-${Math.random().toString(36).slice(2)}`, getRxStorageDexie({ indexedDB, IDBKeyRange }));
});

afterEach(async () => {
  await replication?.stop();
  replication = null;
  await db.close();
});

describe('a check-in into a class made on the kiosk', () => {
  it('reaches the platform after its class, never refused as an unknown session', async () => {
    const now = new Date();
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC' }).format(now);
    const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
    // A class made today that is running now (in UTC, the zone of this test's site).
    const startMinutes = Math.max(0, minute - 60);
    const [session] = proposedSessions({ title: '识字', day, startMinutes, endMinutes: startMinutes + 11 * 60, repeatWeeks: 0 }, kiosk, 'UTC');
    await saveProposedSessions(db, [session!]);
    const open = { ...session!, status: 'open' as const, statusVersion: 1 };
    expect(await recordAttendance(db, open, kiosk, 'GD2026000101', '陈秀英', 'manual', now)).toMatchObject({ kind: 'checked-in' });

    const platform = new SlowSessionPlatform();
    replication = startKioskReplication(db.collections, { baseUrl: '', pullIntervalMs: 60_000, retryMs: 20, fetch: platform.fetch });
    await expect
      .poll(async () => (await db.attendance.findOne().exec())?.receivedAt, { timeout: 10_000 })
      .toEqual(expect.any(String));
    expect(platform.refused).toEqual([]);
    expect((await db.attendance.findOne().exec())?.refusal).toBeUndefined();
    expect([...platform.sessions.keys()]).toEqual([session!.id]);
  });
});
