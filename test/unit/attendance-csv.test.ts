import { describe, expect, it } from 'vitest';
import { attendanceCsv, platformStatus, rosterLines } from '../../renderer/staff/attendance-csv';

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

  it('writes a header and quotes titles and names with commas and quotes', () => {
    const names = new Map([['L1', '陈美玲'], ['L2', 'Li, "Ah" Keung']]);
    const csv = attendanceCsv(session, rosterLines(session, attendance, (id) => names.get(id)));
    expect(csv.split('\n')).toEqual([
      'session_id,session_title,session_starts_at,learner_id,on_roster,checked_in,checked_in_at,method,learner_name,platform_status',
      'S1,"Tea, and talk ""weekly""",2026-11-23T06:00:00.000Z,L1,yes,no,,,陈美玲,',
      'S1,"Tea, and talk ""weekly""",2026-11-23T06:00:00.000Z,L2,yes,yes,2026-11-23T06:05:00.000Z,scanner,"Li, ""Ah"" Keung",received',
      'S1,"Tea, and talk ""weekly""",2026-11-23T06:00:00.000Z,L9,no,yes,2026-11-23T06:07:00.000Z,manual,,waiting',
      '',
    ]);
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
