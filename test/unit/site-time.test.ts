import { describe, expect, it } from 'vitest';
import { siteDayBounds } from '../../renderer/i18n/site-time';

describe("the site's day", () => {
  it('runs from midnight to midnight in the site time zone, whatever the instant given', () => {
    // 01:30 on 24 November in Guangzhou is still the 23rd in UTC.
    expect(siteDayBounds(new Date('2026-11-23T17:30:00Z'), 'Asia/Shanghai')).toEqual({
      from: '2026-11-23T16:00:00.000Z',
      to: '2026-11-24T16:00:00.000Z',
    });
    expect(siteDayBounds(new Date('2026-11-23T15:59:59Z'), 'Asia/Shanghai').from).toBe('2026-11-22T16:00:00.000Z');
    expect(siteDayBounds(new Date('2026-11-23T17:30:00Z'), 'UTC').from).toBe('2026-11-23T00:00:00.000Z');
  });
});
