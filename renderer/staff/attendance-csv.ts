import { TZDate } from '@date-fns/tz';
import { stringify } from 'csv-stringify/browser/esm/sync';
import { format } from 'date-fns';
import type { AttendanceRecord } from '../../sync/protocol/attendance-record';
import type { ClassSession } from '../../sync/protocol/class-session';
import type { RecordRefusal, RecordReview } from '../../sync/protocol/sync-outcome';

type CheckIn = Pick<AttendanceRecord, 'classSessionId' | 'learnerId' | 'deviceTime' | 'method'> & {
  lateReason?: AttendanceRecord['lateReason'];
  receivedAt?: string;
  review?: RecordReview;
  refusal?: RecordRefusal;
};

export interface RosterLine {
  learnerId: string;
  /** From the site's learner directory; null for a learner it does not hold (yet). */
  displayName: string | null;
  onRoster: boolean;
  /** The check-in for this session, if any. */
  attendance: Omit<CheckIn, 'classSessionId' | 'learnerId'> | null;
}

/** Everyone on the roster in roster order, then walk-ins who checked in without being on it. */
export function rosterLines(
  session: Pick<ClassSession, 'id' | 'roster'>,
  attendance: CheckIn[],
  nameOf: (learnerId: string) => string | undefined = () => undefined,
): RosterLine[] {
  const checkedIn = new Map(attendance.filter((a) => a.classSessionId === session.id).map((a) => [a.learnerId, a]));
  const onRoster = new Set(session.roster);
  const line = (learnerId: string, isOnRoster: boolean): RosterLine => ({
    learnerId,
    displayName: nameOf(learnerId) ?? null,
    onRoster: isOnRoster,
    attendance: checkedIn.get(learnerId) ?? null,
  });
  return [
    ...session.roster.map((learnerId) => line(learnerId, true)),
    ...[...checkedIn.keys()].filter((learnerId) => !onRoster.has(learnerId)).map((learnerId) => line(learnerId, false)),
  ];
}

/**
 * Where the platform stands on a check-in, in stable codes: `waiting` (not answered yet),
 * `received`, `held:<reasons>` (stored, no credit until an operator approves), `approved`,
 * `refused:<reason>` (kept on the kiosk only).
 */
export function platformStatus(record: Omit<CheckIn, 'classSessionId' | 'learnerId'>): string {
  if (record.refusal) return `refused:${record.refusal.reason}`;
  if (!record.receivedAt) return 'waiting';
  if (record.review?.status === 'held') return `held:${record.review.reasons.join(';')}`;
  if (record.review?.status === 'refused') return `refused:${record.review.reasons.join(';')}`;
  return record.review?.status === 'approved' ? 'approved' : 'received';
}

/** An instant as the site's wall-clock time with its UTC offset (2026-11-23T14:00:00+08:00), as staff read it and scripts parse it. */
export function siteTimestamp(iso: string, timeZone: string): string {
  return format(new TZDate(Date.parse(iso), timeZone), "yyyy-MM-dd'T'HH:mm:ssXXX");
}

/**
 * Attendance of one or many sessions for the site's records: stable English column names, one
 * row per roster line, times in the site's time zone with their offset, so spreadsheets and
 * scripts read it the same whatever language the kiosk shows.
 */
export function attendanceCsv(
  sessions: { session: Pick<ClassSession, 'id' | 'title' | 'startsAt'>; lines: RosterLine[] }[],
  timeZone: string,
): string {
  const at = (iso: string) => siteTimestamp(iso, timeZone);
  return stringify(
    sessions.flatMap(({ session, lines }) =>
      lines.map((line) => [
        session.id,
        session.title,
        at(session.startsAt),
        line.learnerId,
        line.onRoster ? 'yes' : 'no',
        line.attendance ? 'yes' : 'no',
        line.attendance ? at(line.attendance.deviceTime) : '',
        line.attendance?.method ?? '',
        line.displayName ?? '',
        line.attendance ? platformStatus(line.attendance) : '',
        line.attendance?.lateReason ?? '',
      ]),
    ),
    // New columns go last so scripts written against the earlier columns keep working.
    {
      header: true,
      columns: [
        'session_id',
        'session_title',
        'session_starts_at',
        'learner_id',
        'on_roster',
        'checked_in',
        'checked_in_at',
        'method',
        'learner_name',
        'platform_status',
        'late_reason',
      ],
    },
  );
}

/**
 * The site days staff can pick for an export: from the earliest class the kiosk holds (or
 * `daysBack` before today, whichever is earlier) to `daysAhead` after today, oldest first.
 */
export function exportDays(sessions: Pick<ClassSession, 'startsAt'>[], today: string, timeZone: string, daysBack: number, daysAhead: number): string[] {
  const siteDay = (iso: string) => format(new TZDate(Date.parse(iso), timeZone), 'yyyy-MM-dd');
  const first = sessions.reduce((earliest, s) => (siteDay(s.startsAt) < earliest ? siteDay(s.startsAt) : earliest), shiftDay(today, -daysBack));
  const last = shiftDay(today, daysAhead);
  const days: string[] = [];
  for (let day = first; day <= last; day = shiftDay(day, 1)) days.push(day);
  return days;
}

function shiftDay(day: string, by: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + by)).toISOString().slice(0, 10);
}

/** The sessions starting on the site's days `fromDay` to `toDay` (yyyy-MM-dd, both included), in start order. */
export function sessionsInDayRange<T extends Pick<ClassSession, 'startsAt'>>(sessions: T[], fromDay: string, toDay: string, timeZone: string): T[] {
  return sessions
    .filter((s) => {
      const day = format(new TZDate(Date.parse(s.startsAt), timeZone), 'yyyy-MM-dd');
      return day >= fromDay && day <= toDay;
    })
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
}

export function downloadText(fileName: string, text: string, type: string) {
  // A byte-order mark so spreadsheet programs open the Chinese titles as UTF-8.
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // Revoke after the click has been handled, or the download may not start.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
