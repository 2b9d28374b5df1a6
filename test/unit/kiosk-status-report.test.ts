import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openKioskDatabase, type KioskDatabase } from '../../renderer/db/kiosk-database';
import { noteDeviceSeen, reportKioskStatus } from '../../renderer/kiosk-status-report';
import { recordAttendance } from '../../renderer/checkin/check-in';
import { setJournalWriter } from '../../renderer/db/record-journal';
import type { RendererStatus } from '../../sync/protocol/kiosk-heartbeat';
import { DEMO_KIOSK as kiosk, OPEN_DEMO_SESSION as session } from '../support/class-session';

let db: KioskDatabase;
let stop: () => void;
let sent: RendererStatus[];

beforeEach(async () => {
  db = await openKioskDatabase(`status-${Math.random().toString(36).slice(2)}`, getRxStorageDexie({ indexedDB, IDBKeyRange }));
  // No kiosk host here: the journal is the host's concern (test/unit/record-journal.test.ts).
  setJournalWriter(async () => undefined);
  sent = [];
  vi.stubGlobal('fetch', async (url: string, init: { body: string }) => {
    expect(url).toBe('/kiosk/status');
    sent.push(JSON.parse(init.body) as RendererStatus);
    return new Response('{"noted":true}');
  });
});

afterEach(async () => {
  stop?.();
  vi.unstubAllGlobals();
  await db.close();
});

describe('the page tells the kiosk host what only it knows, for the heartbeat', () => {
  it('reports records waiting since when, and the devices that read a card', async () => {
    stop = reportKioskStatus(db, 10);
    await vi.waitFor(() => expect(sent.at(-1)).toMatchObject({ recordsWaiting: 0, recordsSetAside: 0, oldestWaitingAt: null }));
    const at = new Date(session.startsAt);
    await recordAttendance(db, session, kiosk, 'GD2026000101', '陈秀英', 'scanner', at);
    noteDeviceSeen('scanner');
    await vi.waitFor(() =>
      expect(sent.at(-1)).toEqual({ recordsWaiting: 1, recordsSetAside: 0, oldestWaitingAt: at.toISOString(), cameraSeen: false, scannerSeen: true }),
    );
  });
});
