import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openKioskDatabase, type KioskDatabase } from '../../renderer/db/kiosk-database';
import { waitingCount } from '../../renderer/db/waiting-records';
import { startKioskReplication, type KioskReplication } from '../../sync/kiosk/kiosk-replication';
import { DEMO_KIOSK as kiosk, OPEN_DEMO_SESSION as session } from '../support/class-session';

type Doc = Record<string, unknown> & { id: string; serverSeq: number };

/**
 * The platform's pull contract in memory (sync/protocol/replication.ts): rows above the
 * checkpoint, lowest serverSeq first, at most `limit`. Attendance pushes are stored once and
 * answered with receivedAt. `hold` keeps a collection's n-th pull in flight until let go.
 */
class FakePlatform {
  seq = 0;
  rows = new Map<string, Map<string, Doc>>();
  /** Every pull asked for, as collection and checkpoint. */
  pulls: { name: string; seq: number }[] = [];
  private held = new Map<string, { reached: () => void; gate: Promise<void> }>();

  store(name: string, doc: Record<string, unknown> & { id: string }, deleted = false) {
    if (!this.rows.has(name)) this.rows.set(name, new Map());
    this.rows.get(name)!.set(doc.id, { ...doc, serverSeq: ++this.seq, _deleted: deleted });
  }

  /** `reached` resolves when the collection's n-th pull (from 1) arrives, which waits for letGo. */
  hold(name: string, n: number): { reached: Promise<void>; letGo(fail?: boolean): void } {
    let reached!: () => void;
    let release!: (fail: boolean) => void;
    const arrived = new Promise<void>((resolve) => (reached = resolve));
    const gate = new Promise<void>((resolve, reject) => (release = (fail) => (fail ? reject(new TypeError('Failed to fetch')) : resolve())));
    gate.catch(() => undefined);
    this.held.set(`${name}#${n}`, { reached, gate });
    return { reached: arrived, letGo: (fail = false) => release(fail) };
  }

  fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input), 'http://kiosk');
    const [, , name, op] = url.pathname.split('/') as [string, string, string, string];
    const rows = this.rows.get(name) ?? new Map<string, Doc>();
    if (op === 'pull') {
      const after = Number(url.searchParams.get('seq') ?? 0);
      const limit = Number(url.searchParams.get('limit'));
      this.pulls.push({ name, seq: after });
      const held = this.held.get(`${name}#${this.pulls.filter((p) => p.name === name).length}`);
      if (held) {
        held.reached();
        await held.gate;
      }
      const documents = [...rows.values()]
        .filter((d) => d.serverSeq > after)
        .sort((a, b) => a.serverSeq - b.serverSeq)
        .slice(0, limit);
      const last = documents.at(-1);
      return Response.json({ documents, checkpoint: last ? { seq: last.serverSeq } : after ? { seq: after } : null });
    }
    const pushed = (JSON.parse(String(init?.body)) as { newDocumentState: Doc }[]).map((r) => r.newDocumentState);
    for (const doc of pushed) if (name === 'attendance' && !rows.has(doc.id)) this.store(name, { ...doc, receivedAt: new Date().toISOString() });
    return Response.json(pushed.map((doc) => this.rows.get(name)!.get(doc.id)!));
  };
}

const PAGE = 10;

function ledgerEntry(n: number) {
  return {
    id: `entry-${String(n).padStart(4, '0')}`,
    learnerId: 'GD2026000101',
    sourceType: 'attendance' as const,
    sourceId: `source-${n}`,
    hours: 2,
    credits: 0.1,
    status: 'confirmed' as const,
    earnedOn: '2026-11-23',
    createdAt: '2026-11-23T08:00:00.000Z',
  };
}

let db: KioskDatabase;
let platform: FakePlatform;
let replication: KioskReplication | null = null;
const start = () => startKioskReplication(db.collections, { baseUrl: '', pullIntervalMs: 60_000, retryMs: 20, pullPageSize: PAGE, fetch: platform.fetch });

async function held(): Promise<Map<string, number>> {
  const docs = await db.credit_ledger.find().exec();
  return new Map(docs.map((d) => [d.id, d.serverSeq!]));
}

/** Starts the kiosk, lets it store two ledger pages, then stops it while the third is in flight (that answer is lost). */
async function stopDuringThirdLedgerPage(): Promise<void> {
  const third = platform.hold('credit_ledger', 3);
  replication = start();
  await third.reached;
  await expect.poll(async () => (await held()).size, { timeout: 5000 }).toBe(20);
  const stopped = replication.stop();
  third.letGo(true);
  await stopped;
}

/** The kiosk holds exactly the platform's ledger: every entry, each with the platform's serverSeq. */
async function expectLedgerAsOnPlatform(): Promise<void> {
  const platformLedger = new Map([...platform.rows.get('credit_ledger')!.values()].map((d) => [d.id, d.serverSeq]));
  await expect.poll(async () => (await held()).size, { timeout: 5000 }).toBe(platformLedger.size);
  expect(await held()).toEqual(platformLedger);
}

const ledgerPullsFrom = (from: number) => platform.pulls.slice(from).filter((p) => p.name === 'credit_ledger').map((p) => p.seq);

beforeEach(async () => {
  db = await openKioskDatabase(`first-pull-${Math.random().toString(36).slice(2)}`, getRxStorageDexie({ indexedDB, IDBKeyRange }));
  platform = new FakePlatform();
  for (let n = 1; n <= 25; n++) platform.store('credit_ledger', ledgerEntry(n));
});

afterEach(async () => {
  await replication?.stop();
  replication = null;
  await db.close();
});

describe("a kiosk's first pull", () => {
  it('stores every page, then later pulls go on from the checkpoint it handed to RxDB', async () => {
    replication = start();
    await Promise.all(replication.states.map((s) => s.awaitInitialReplication()));
    await expectLedgerAsOnPlatform();
    // Pages of 10 from the start: 0, 10, 20; nothing asked twice.
    expect(ledgerPullsFrom(0)).toEqual([0, 10, 20]);
    const before = platform.pulls.length;
    for (let n = 26; n <= 28; n++) platform.store('credit_ledger', ledgerEntry(n));
    replication.syncNow();
    await expectLedgerAsOnPlatform();
    // The next pull starts after the last entry held, not from the start.
    expect(ledgerPullsFrom(before)[0]).toBe(25);
  });

  it('interrupted midway (the kiosk stopped), goes on from what it stored, losing and doubling nothing', async () => {
    await stopDuringThirdLedgerPage();
    const before = platform.pulls.length;
    replication = start();
    await Promise.all(replication.states.map((s) => s.awaitInitialReplication()));
    await expectLedgerAsOnPlatform();
    expect(ledgerPullsFrom(before)[0]).toBe(20);
    expect(ledgerPullsFrom(before)).not.toContain(0);
  });

  it('retries a page that failed from what it stored', async () => {
    const second = platform.hold('credit_ledger', 2);
    replication = start();
    await second.reached;
    second.letGo(true);
    await Promise.all(replication.states.map((s) => s.awaitInitialReplication()));
    await expectLedgerAsOnPlatform();
    // The first page was stored while the second was in flight; the retry asks after it.
    expect(ledgerPullsFrom(0)).toEqual([0, 10, 10, 20]);
  });

  it('pushes a check-in made while it runs, and counts it waiting until the platform has it', async () => {
    const second = platform.hold('credit_ledger', 2);
    replication = start();
    await second.reached;
    await db.attendance.insert({
      id: '01JDEMO0000000000000000001',
      classSessionId: session.id,
      learnerId: 'GD2026000101',
      siteId: kiosk.siteId,
      kioskId: kiosk.kioskId,
      method: 'scanner',
      onRoster: true,
      deviceTime: session.startsAt,
    });
    // The ledger's first pull is still in flight; the check-in goes up beside it.
    await expect.poll(() => platform.rows.get('attendance')?.size ?? 0, { timeout: 5000 }).toBe(1);
    await expect.poll(() => waitingCount(db).attendance.exec(), { timeout: 5000 }).toBe(0);
    second.letGo();
    await Promise.all(replication.states.map((s) => s.awaitInitialReplication()));
    await expectLedgerAsOnPlatform();
    const record = await db.attendance.findOne().exec();
    expect(record!.receivedAt).toBe(platform.rows.get('attendance')!.get(record!.id)!.receivedAt);
    expect(record!.syncState).toBe('received');
    expect(platform.rows.get('attendance')!.size).toBe(1);
  });

  it('leaves a page holding a deletion to RxDB, which removes what the kiosk stored', async () => {
    for (let n = 1; n <= 25; n++) platform.store('learners', { id: `GD2026${String(n).padStart(6, '0')}`, displayName: `学员${n}` });
    const third = platform.hold('learners', 3);
    replication = start();
    await third.reached;
    await expect.poll(() => db.learners.count().exec(), { timeout: 5000 }).toBe(20);
    const stopped = replication.stop();
    third.letGo(true);
    await stopped;
    // Meanwhile a learner the kiosk holds moved to another site (the platform sends a deletion),
    // and ten more came: the deletion arrives inside a full page.
    const moved = platform.rows.get('learners')!.get('GD2026000003')!;
    platform.store('learners', moved, true);
    for (let n = 26; n <= 35; n++) platform.store('learners', { id: `GD2026${String(n).padStart(6, '0')}`, displayName: `学员${n}` });
    replication = start();
    await Promise.all(replication.states.map((s) => s.awaitInitialReplication()));
    await expect.poll(() => db.learners.count().exec(), { timeout: 5000 }).toBe(34);
    expect(await db.learners.findOne('GD2026000003').exec()).toBeNull();
  });

  it('goes on storing by id when a row it holds changed before it resumed, in a full page', async () => {
    await stopDuringThirdLedgerPage();
    // Five entries the kiosk holds changed meanwhile: they come again with new numbers, in the
    // full page after the resume point, beside five the kiosk never had; a full page of new ones
    // follows, so that page is the first pull's to store, not RxDB's.
    for (let n = 1; n <= 5; n++) platform.store('credit_ledger', { ...ledgerEntry(n), status: 'provisional' });
    for (let n = 26; n <= 35; n++) platform.store('credit_ledger', ledgerEntry(n));
    replication = start();
    await Promise.all(replication.states.map((s) => s.awaitInitialReplication()));
    await expectLedgerAsOnPlatform();
    expect((await db.credit_ledger.findOne('entry-0001').exec())!.status).toBe('provisional');
  });
});

describe('the ledger arrives last', () => {
  it('is pulled once every other collection is in sync, and says it is arriving until it is held', async () => {
    for (let n = 1; n <= 25; n++) platform.store('learners', { id: `GD2026${String(n).padStart(6, '0')}`, displayName: `学员${n}` });
    const learners = platform.hold('learners', 2);
    replication = start();
    const arriving: boolean[] = [];
    replication.ledgerArriving$.subscribe((value) => arriving.push(value));
    await learners.reached;
    // The learners are half in, and the ledger has not been asked for yet.
    await expect.poll(() => arriving.at(-1), { timeout: 5000 }).toBe(true);
    expect(ledgerPullsFrom(0)).toEqual([]);
    learners.letGo();
    await Promise.all(replication.states.map((s) => s.awaitInitialReplication()));
    await expectLedgerAsOnPlatform();
    expect(await db.learners.count().exec()).toBe(25);
    // Every learner page was asked for before the first ledger page.
    const firstLedgerPull = platform.pulls.findIndex((p) => p.name === 'credit_ledger');
    expect(platform.pulls.slice(firstLedgerPull).some((p) => p.name === 'learners' && p.seq < 25)).toBe(false);
    await expect.poll(() => arriving.at(-1), { timeout: 5000 }).toBe(false);
  });

  it('says it is arriving again after a restart that cut its first pull short, and never once it was held', async () => {
    const second = platform.hold('credit_ledger', 2);
    replication = start();
    await second.reached;
    const stopped = replication.stop();
    second.letGo(true);
    await stopped;
    replication = start();
    const arriving: boolean[] = [];
    replication.ledgerArriving$.subscribe((value) => arriving.push(value));
    await Promise.all(replication.states.map((s) => s.awaitInitialReplication()));
    await expectLedgerAsOnPlatform();
    await expect.poll(() => arriving, { timeout: 5000 }).toEqual([false, true, false]);
    await replication.stop();
    replication = start();
    const afterwards: boolean[] = [];
    replication.ledgerArriving$.subscribe((value) => afterwards.push(value));
    await Promise.all(replication.states.map((s) => s.awaitInitialReplication()));
    expect(afterwards).toEqual([false]);
  });
});
