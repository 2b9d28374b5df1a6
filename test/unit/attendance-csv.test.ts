import { describe, expect, it } from 'vitest';
import { attendanceCsv, exportDays, platformStatus, rosterLines, sessionsInDayRange, siteTimestamp } from '../../renderer/staff/attendance-csv';

const session = { id: 'S1', title: 'Tea, and talk "weekly"', startsAt: '2026-11-23T06:00:00.000Z', roster: ['L1', 'L2'] };
const attendance = [
  { classSessionId: 'S1', learnerId: 'L2', deviceTime: '2026-11-23T06:05:00.000Z', method: 'scanner' as const, receivedAt: '2026-11-23T06:05:01.000Z' },
  { classSessionId: 'S1', learnerId: 'L9', deviceTime: '2026-11-23T06:07:00.000Z', method: 'manual' as const },
  { classSessionId: 'OTHER', learnerId: 'L1', deviceTime: '2026-11-23T06:01:00.000Z', method: 'camera' as const },
];

describe('attendance export', () => {
  it('lists the roster in order, then walk-ins, with only this session’s check-ins', () => {
    const lines = rosterLines(session, attendance);
    expect(lines.map((l) => [l.learnerId, l.onRoster, l.attendance?.method ?? null])).toEqual([
      ['L1', true, null],
      ['L2', true, 'scanner'],
      ['L9', false, 'manual'],
    ]);
  });

  it('writes a header, site times with their offset, and quotes titles and names with commas and quotes', () => {
    const names = new Map([['L1', '陈美玲'], ['L2', 'Li, "Ah" Keung']]);
    const csv = attendanceCsv([{ session, lines: rosterLines(session, attendance, (id) => names.get(id)) }], 'Asia/Shanghai');
    expect(csv.split('\n')).toEqual([
      'session_id,session_title,session_starts_at,learner_id,on_roster,checked_in,checked_in_at,method,learner_name,platform_status,late_reason',
      'S1,"Tea, and talk ""weekly""",2026-11-23T14:00:00+08:00,L1,yes,no,,,陈美玲,,',
      'S1,"Tea, and talk ""weekly""",2026-11-23T14:00:00+08:00,L2,yes,yes,2026-11-23T14:05:00+08:00,scanner,"Li, ""Ah"" Keung",received,',
      'S1,"Tea, and talk ""weekly""",2026-11-23T14:00:00+08:00,L9,no,yes,2026-11-23T14:07:00+08:00,manual,,waiting,',
      '',
    ]);
  });

  it("exports a date range of the site's days, session after session, with a late check-in's reason", () => {
    const monday = { id: 'MON', title: 'Mon', startsAt: '2026-11-23T01:00:00.000Z', roster: ['L1'] };
    // 23:30 UTC on the 23rd is already the 24th in Guangdong: it belongs to the 24th, not the 23rd.
    const tuesday = { id: 'TUE', title: 'Tue', startsAt: '2026-11-23T23:30:00.000Z', roster: [] };
    const later = { id: 'LATER', title: 'Later', startsAt: '2026-11-26T02:00:00.000Z', roster: [] };
    const late = { classSessionId: 'TUE', learnerId: 'L1', deviceTime: '2026-11-25T02:00:00.000Z', method: 'manual' as const, lateReason: 'paper-register' as const };
    const inRange = sessionsInDayRange([later, tuesday, monday], '2026-11-23', '2026-11-24', 'Asia/Shanghai');
    expect(inRange.map((s) => s.id)).toEqual(['MON', 'TUE']);
    expect(sessionsInDayRange([tuesday], '2026-11-23', '2026-11-23', 'Asia/Shanghai')).toEqual([]);
    const csv = attendanceCsv(inRange.map((s) => ({ session: s, lines: rosterLines(s, [late]) })), 'Asia/Shanghai').split('\n');
    expect(csv.slice(1, 3)).toEqual([
      'MON,Mon,2026-11-23T09:00:00+08:00,L1,yes,no,,,,,',
      'TUE,Tue,2026-11-24T07:30:00+08:00,L1,no,yes,2026-11-25T10:00:00+08:00,manual,,waiting,paper-register',
    ]);
  });

  it('offers every day from the earliest class the kiosk holds (or a month back) to two weeks ahead', () => {
    const days = exportDays([], '2026-03-10', 'Asia/Shanghai', 30, 14);
    expect([days[0], days.at(-1), days.length]).toEqual(['2026-02-08', '2026-03-24', 45]);
    // A class in the site's early hours of 1 January, late on 31 December in UTC.
    const old = exportDays([{ startsAt: '2025-12-31T17:00:00.000Z' }], '2026-03-10', 'Asia/Shanghai', 30, 14);
    expect(old[0]).toBe('2026-01-01');
    expect(new Set(old).size).toBe(old.length);
  });

  it("writes times in the site's zone whatever zone the kiosk computer runs in, offset included", () => {
    expect(siteTimestamp('2026-07-01T12:00:00.000Z', 'Europe/London')).toBe('2026-07-01T13:00:00+01:00');
    expect(siteTimestamp('2026-12-01T12:00:00.000Z', 'Europe/London')).toBe('2026-12-01T12:00:00Z');
    expect(siteTimestamp('2026-12-01T12:00:00.000Z', 'Asia/Hong_Kong')).toBe('2026-12-01T20:00:00+08:00');
  });

  it('says where the platform stands on each check-in: waiting, received, held with reasons, refused with reason', () => {
    const base = { deviceTime: '2026-11-23T06:05:00.000Z', method: 'scanner' as const };
    const receivedAt = '2026-11-23T06:05:01.000Z';
    expect(platformStatus(base)).toBe('waiting');
    expect(platformStatus({ ...base, receivedAt })).toBe('received');
    expect(platformStatus({ ...base, receivedAt, review: { status: 'held', reasons: ['off-roster', 'outside-window'] } })).toBe(
      'held:off-roster;outside-window',
    );
    expect(platformStatus({ ...base, receivedAt, review: { status: 'approved', reasons: ['off-roster'] } })).toBe('approved');
    expect(platformStatus({ ...base, refusal: { reason: 'unknown-session', message: 'no such session' } })).toBe('refused:unknown-session');
  });
});
