import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { Value } from 'typebox/value';
import { ClassSession } from '../../sync/protocol/class-session';
import { openKioskDatabase, type KioskDatabase } from '../../renderer/db/kiosk-database';
import {
  MAX_REPEAT_WEEKS,
  proposalDays,
  proposalProblem,
  proposedSessions,
  saveProposedSessions,
  stepTime,
  type ProposalInput,
} from '../../renderer/staff/propose-session';
import { DEMO_KIOSK as KIOSK } from '../support/class-session';

const ZONE = 'Asia/Shanghai';
const input: ProposalInput = { title: ' 识字班 ', courseId: 'literacy-1', day: '2026-11-24', startMinutes: 14 * 60, endMinutes: 15 * 60 + 30, repeatWeeks: 0 };

describe('a class proposed on the kiosk', () => {
  it('offers the site\'s next fourteen days, starting today in the site\'s zone', () => {
    // 17:00 UTC on the 23rd is 01:00 on the 24th in Guangdong.
    const days = proposalDays(new Date('2026-11-23T17:00:00Z'), ZONE);
    expect(days).toHaveLength(14);
    expect(days[0]).toBe('2026-11-24');
    expect(days[13]).toBe('2026-12-07');
  });

  it('steps times a quarter hour per tap and keeps them within the day', () => {
    expect(stepTime(14 * 60, 1)).toBe(14 * 60 + 15);
    expect(stepTime(14 * 60, -4)).toBe(13 * 60);
    expect(stepTime(0, -1)).toBe(0);
    expect(stepTime(23 * 60 + 45, 1)).toBe(23 * 60 + 45);
  });

  it('makes a kiosk-proposed session in the site\'s time, valid against the protocol', () => {
    const [session, ...more] = proposedSessions(input, KIOSK, ZONE);
    expect(more).toEqual([]);
    expect(session).toMatchObject({
      title: '识字班',
      courseId: 'literacy-1',
      siteId: KIOSK.siteId,
      startsAt: '2026-11-24T06:00:00.000Z',
      endsAt: '2026-11-24T07:30:00.000Z',
      checkInOpensAt: '2026-11-24T05:30:00.000Z',
      status: 'planned',
      statusVersion: 0,
      roster: [],
      proposedBy: KIOSK.kioskId,
      approval: 'proposed',
    });
    expect(Value.Check(ClassSession, session)).toBe(true);
  });

  it('repeats weekly for N more weeks at the same site time, each with its own id', () => {
    const sessions = proposedSessions({ ...input, repeatWeeks: 3, courseId: undefined }, KIOSK, ZONE);
    expect(sessions.map((s) => s.startsAt)).toEqual(['2026-11-24T06:00:00.000Z', '2026-12-01T06:00:00.000Z', '2026-12-08T06:00:00.000Z', '2026-12-15T06:00:00.000Z']);
    expect(new Set(sessions.map((s) => s.id)).size).toBe(4);
    expect(sessions[0]).not.toHaveProperty('courseId');
  });

  it('keeps wall-clock time across a daylight saving change where the site has one', () => {
    const sessions = proposedSessions({ ...input, day: '2026-10-20', repeatWeeks: 1 }, KIOSK, 'Europe/London');
    expect(sessions.map((s) => s.startsAt)).toEqual(['2026-10-20T13:00:00.000Z', '2026-10-27T14:00:00.000Z']);
  });

  it('names what is wrong with a proposal, and makes no session for it', () => {
    expect(proposalProblem({ ...input, title: '  ' })).toBe('title-missing');
    expect(proposalProblem({ ...input, endMinutes: input.startMinutes })).toBe('ends-before-start');
    expect(proposalProblem({ ...input, startMinutes: 0, endMinutes: 13 * 60 })).toBe('too-long');
    expect(proposalProblem({ ...input, repeatWeeks: MAX_REPEAT_WEEKS + 1 })).toBe('repeat-out-of-range');
    expect(proposalProblem({ ...input, day: 'tomorrow' })).toBe('day-invalid');
    expect(() => proposedSessions({ ...input, endMinutes: 0 }, KIOSK, ZONE)).toThrow('ends-before-start');
  });
});

describe('saving a proposal on the kiosk', () => {
  let db: KioskDatabase;
  beforeEach(async () => {
    const storage = wrappedValidateAjvStorage({ storage: getRxStorageDexie({ indexedDB, IDBKeyRange }) });
    db = await openKioskDatabase(`propose-session-test-${process.pid}-${Date.now()}`, storage);
  });
  afterEach(async () => {
    await db.close();
  });

  it('stores every session of the proposal, waiting to be pushed', async () => {
    await saveProposedSessions(db, proposedSessions({ ...input, repeatWeeks: 2 }, KIOSK, ZONE));
    const stored = await db.class_sessions.find({ sort: [{ startsAt: 'asc' }] }).exec();
    expect(stored.map((s) => [s.approval, s.proposedBy, s.serverSeq])).toEqual([
      ['proposed', KIOSK.kioskId, undefined],
      ['proposed', KIOSK.kioskId, undefined],
      ['proposed', KIOSK.kioskId, undefined],
    ]);
  });
});
