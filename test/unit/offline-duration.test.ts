import { describe, expect, it } from 'vitest';
import { offlineStanding } from '../../renderer/staff/offline-duration';

const DAY = 86_400_000;
const now = new Date('2026-11-29T10:00:00+08:00');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('offline duration: when staff are told the kiosk has been offline too long', () => {
  it('says nothing of duration when no contact is recorded', () => {
    expect(offlineStanding(null, now, 14)).toEqual({ kind: 'unknown' });
  });

  it('is recent up to the limit, and too long past it, in whole days', () => {
    expect(offlineStanding(ago(0), now, 14)).toEqual({ kind: 'recent', since: ago(0) });
    expect(offlineStanding(ago(14 * DAY), now, 14).kind).toBe('recent');
    expect(offlineStanding(ago(14 * DAY + 1000), now, 14)).toEqual({ kind: 'too-long', since: ago(14 * DAY + 1000), days: 14 });
    expect(offlineStanding(ago(40 * DAY - 1), now, 14)).toMatchObject({ kind: 'too-long', days: 39 });
  });

  it('follows the configured limit, fractions of a day included', () => {
    expect(offlineStanding(ago(3 * DAY), now, 2).kind).toBe('too-long');
    expect(offlineStanding(ago(3 * DAY), now, 30).kind).toBe('recent');
    expect(offlineStanding(ago(2 * 3_600_000), now, 1 / 24)).toEqual({ kind: 'too-long', since: ago(2 * 3_600_000), days: 0 });
  });

  it('reads a clock more than ten minutes earlier than the last contact as set back, not as offline', () => {
    const later = new Date(now.getTime() + 9 * 60_000);
    expect(offlineStanding(later, now, 14).kind).toBe('recent');
    const muchLater = new Date(now.getTime() + 11 * 60_000);
    expect(offlineStanding(muchLater, now, 14)).toEqual({ kind: 'clock-behind', since: muchLater });
    expect(offlineStanding(new Date(now.getTime() + 400 * DAY), now, 14).kind).toBe('clock-behind');
  });
});
