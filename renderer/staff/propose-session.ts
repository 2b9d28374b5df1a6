import { TZDate } from '@date-fns/tz';
import { addDays, addWeeks, format, startOfDay } from 'date-fns';
import { v7 as uuidv7 } from 'uuid';
import type { ClassSession } from '../../sync/protocol/class-session';
import type { KioskDatabase } from '../db/kiosk-database';

/** Topics staff may pick for a class that follows no course of the catalog (labels in the staffmode catalog). */
export const CLASS_TOPICS = ['literacy', 'health', 'farming', 'phone-skills', 'family', 'other'] as const;
export type ClassTopic = (typeof CLASS_TOPICS)[number];

/** How far ahead staff may plan, how far a time moves per tap, and the longest weekly repeat. */
export const PROPOSAL_DAYS_AHEAD = 14;
export const TIME_STEP_MINUTES = 15;
export const MAX_REPEAT_WEEKS = 12;
/** The platform refuses a proposed class longer than this (sync/platform/collections/class-sessions.ts). */
export const MAX_CLASS_MINUTES = 12 * 60;
/** Kiosk's guess at the check-in window until the platform stamps its own (its rule, 30 minutes). */
const CHECK_IN_OPENS_MINUTES = 30;

export interface ProposalInput {
  title: string;
  courseId?: string | undefined;
  /** The site's calendar day, yyyy-MM-dd, one of `proposalDays`. */
  day: string;
  /** Minutes after the site's midnight. */
  startMinutes: number;
  endMinutes: number;
  /** 0 for a single class; N for the same class on each of the N following weeks too. */
  repeatWeeks: number;
}

export type ProposalProblem = 'title-missing' | 'ends-before-start' | 'too-long' | 'repeat-out-of-range' | 'day-invalid';

/** The site's days staff may pick: today and the next PROPOSAL_DAYS_AHEAD - 1, as yyyy-MM-dd. */
export function proposalDays(now: Date, timeZone: string): string[] {
  const today = startOfDay(new TZDate(now, timeZone));
  return Array.from({ length: PROPOSAL_DAYS_AHEAD }, (_, i) => format(addDays(today, i), 'yyyy-MM-dd'));
}

/** A time moved by one step of the +/- stepper, kept within the day. */
export function stepTime(minutes: number, steps: number): number {
  return Math.min(24 * 60 - TIME_STEP_MINUTES, Math.max(0, minutes + steps * TIME_STEP_MINUTES));
}

export function proposalProblem(input: ProposalInput): ProposalProblem | null {
  if (input.title.trim() === '') return 'title-missing';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.day)) return 'day-invalid';
  if (input.endMinutes <= input.startMinutes) return 'ends-before-start';
  if (input.endMinutes - input.startMinutes > MAX_CLASS_MINUTES) return 'too-long';
  if (!Number.isInteger(input.repeatWeeks) || input.repeatWeeks < 0 || input.repeatWeeks > MAX_REPEAT_WEEKS) return 'repeat-out-of-range';
  return null;
}

/** A site wall-clock time on a site day, as an instant (daylight saving, where a site has it, is the zone's). */
function siteInstant(day: string, minutes: number, timeZone: string): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(year, month - 1, date, Math.floor(minutes / 60), minutes % 60, timeZone).getTime());
}

/**
 * The sessions a proposal makes: one, or one a week for repeatWeeks more weeks, each a
 * kiosk-proposed session (proposedBy this kiosk, approval 'proposed') with an open roster. The
 * platform takes them as proposals and holds their check-ins until an operator approves.
 */
export function proposedSessions(input: ProposalInput, kiosk: { kioskId: string; siteId: string }, timeZone: string): ClassSession[] {
  const problem = proposalProblem(input);
  if (problem) throw new RangeError(`Invalid class proposal: ${problem}`);
  const first = new TZDate(`${input.day}T00:00:00`, timeZone);
  return Array.from({ length: input.repeatWeeks + 1 }, (_, week) => {
    const day = format(addWeeks(first, week), 'yyyy-MM-dd');
    const startsAt = siteInstant(day, input.startMinutes, timeZone);
    return {
      id: uuidv7(),
      siteId: kiosk.siteId,
      title: input.title.trim(),
      ...(input.courseId ? { courseId: input.courseId } : {}),
      teacher: '',
      startsAt: startsAt.toISOString(),
      endsAt: siteInstant(day, input.endMinutes, timeZone).toISOString(),
      status: 'planned',
      statusVersion: 0,
      checkInOpensAt: new Date(startsAt.getTime() - CHECK_IN_OPENS_MINUTES * 60_000).toISOString(),
      roster: [],
      proposedBy: kiosk.kioskId,
      approval: 'proposed',
      _deleted: false,
    };
  });
}

/**
 * Saves a proposal's sessions on the kiosk; they push when the platform answers. (The host's
 * record journal keeps check-ins and lesson progress, not sessions: see docs/check-in-and-sync.md.)
 */
export async function saveProposedSessions(db: KioskDatabase, sessions: ClassSession[]): Promise<void> {
  const result = await db.class_sessions.bulkInsert(sessions.map(({ _deleted: _, ...record }) => record));
  if (result.error.length > 0) throw new Error(`Could not save ${result.error.length} proposed class(es).`);
}
