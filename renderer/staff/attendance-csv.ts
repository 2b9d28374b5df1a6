import { stringify } from 'csv-stringify/browser/esm/sync';
import type { AttendanceRecord } from '../../sync/protocol/attendance-record';
import type { ClassSession } from '../../sync/protocol/class-session';

export interface RosterLine {
  learnerId: string;
  onRoster: boolean;
  /** The check-in for this session, if any. */
  attendance: Pick<AttendanceRecord, 'deviceTime' | 'method'> | null;
}

/** Everyone on the roster in roster order, then walk-ins who checked in without being on it. */
export function rosterLines(session: Pick<ClassSession, 'id' | 'roster'>, attendance: Pick<AttendanceRecord, 'classSessionId' | 'learnerId' | 'deviceTime' | 'method'>[]): RosterLine[] {
  const checkedIn = new Map(attendance.filter((a) => a.classSessionId === session.id).map((a) => [a.learnerId, a]));
  const onRoster = new Set(session.roster);
  return [
    ...session.roster.map((learnerId) => ({ learnerId, onRoster: true, attendance: checkedIn.get(learnerId) ?? null })),
    ...[...checkedIn.values()].filter((a) => !onRoster.has(a.learnerId)).map((a) => ({ learnerId: a.learnerId, onRoster: false, attendance: a })),
  ];
}

/**
 * The session's attendance for the site's records: stable English column names and ISO times so
 * spreadsheets and scripts read it the same whatever language the kiosk shows.
 */
export function attendanceCsv(session: Pick<ClassSession, 'id' | 'title' | 'startsAt'>, lines: RosterLine[]): string {
  return stringify(
    lines.map((line) => [
      session.id,
      session.title,
      session.startsAt,
      line.learnerId,
      line.onRoster ? 'yes' : 'no',
      line.attendance ? 'yes' : 'no',
      line.attendance?.deviceTime ?? '',
      line.attendance?.method ?? '',
    ]),
    { header: true, columns: ['session_id', 'session_title', 'session_starts_at', 'learner_id', 'on_roster', 'checked_in', 'checked_in_at', 'method'] },
  );
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
