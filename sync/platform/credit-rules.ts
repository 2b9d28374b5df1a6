import { parse as parseUuid, v5 as uuidv5 } from 'uuid';
import type { CreditSourceType } from '../protocol/credit-ledger-entry';

/**
 * The credit rule, once: a pure function from source records, in the order they became
 * creditable (credit_seq), to ledger entries. The push path calls it with the hours each learner
 * already holds per day; recompute calls it over every source from the start. Both therefore
 * agree by construction (test/unit/credit-rules.test.ts holds them equal on generated histories).
 */

/** Credit-bank days are days in Guangdong, whatever the kiosk's or server's zone. */
export const PLATFORM_TIME_ZONE = 'Asia/Shanghai';
// Parsed once: uuid would otherwise validate and parse the namespace string on every id.
const LEDGER_NAMESPACE = parseUuid('0e7a9a5c-2f0b-4c55-8d0f-3c4b8f6a9d21');

export interface CreditRules {
  hoursPerCredit: number;
  dailyCapHours: number;
}

/** One creditable record: an accepted (or approved) check-in or lesson completion. */
export interface CreditSource {
  sourceType: CreditSourceType;
  sourceId: string;
  learnerId: string;
  /** What the record is worth before the daily cap. */
  hours: number;
  earnedAt: Date;
}

export interface LedgerLine {
  id: string;
  learnerId: string;
  sourceType: CreditSourceType;
  sourceId: string;
  hours: number;
  credits: number;
  /** YYYY-MM-DD in Guangdong. */
  earnedOn: string;
}

/** Hours a learner already holds on a day, keyed by dayKey(learnerId, earnedOn). */
export type HoursUsed = Map<string, number>;

export function dayKey(learnerId: string, earnedOn: string): string {
  return `${learnerId}/${earnedOn}`;
}

export function ledgerEntryId(sourceType: CreditSourceType, sourceId: string): string {
  return uuidv5(`${sourceType}:${sourceId}`, LEDGER_NAMESPACE);
}

// Made once: building a formatter costs more than formatting, and a catch-up push formats one a record.
const creditDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: PLATFORM_TIME_ZONE });

// A push's check-ins mostly share their class's start: the last day formatted is kept.
let lastCreditDay = { time: Number.NaN, day: '' };

export function creditDay(at: Date): string {
  const time = at.getTime();
  if (time !== lastCreditDay.time) lastCreditDay = { time, day: creditDayFormat.format(at) };
  return lastCreditDay.day;
}

/** Hours are kept to the hundredth, so sums of lesson shares never drift by a float's last bit. */
function hundredths(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Ledger entries for `sources`, in order. The daily cap spans every source type: what a
 * learner earns beyond it on one day is entered as 0 h, so the entry still exists and a replay
 * still finds it. `used` is updated in place with the hours granted.
 */
export function applyCreditRules(sources: readonly CreditSource[], rules: CreditRules, used: HoursUsed = new Map()): LedgerLine[] {
  return sources.map((source) => {
    const earnedOn = creditDay(source.earnedAt);
    const key = dayKey(source.learnerId, earnedOn);
    const before = used.get(key) ?? 0;
    const hours = hundredths(Math.max(0, Math.min(source.hours, rules.dailyCapHours - before)));
    used.set(key, hundredths(before + hours));
    return {
      id: ledgerEntryId(source.sourceType, source.sourceId),
      learnerId: source.learnerId,
      sourceType: source.sourceType,
      sourceId: source.sourceId,
      hours,
      credits: Math.round((hours / rules.hoursPerCredit) * 1000) / 1000,
      earnedOn,
    };
  });
}
