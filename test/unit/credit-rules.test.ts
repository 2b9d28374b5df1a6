import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyCreditRules, dayKey, type CreditSource, type LedgerLine } from '../../sync/platform/credit-rules';

const RULES = { hoursPerCredit: 10, dailyCapHours: 6 };
const DAYS = ['2026-11-20T02:00:00Z', '2026-11-20T09:00:00Z', '2026-11-21T03:00:00Z', '2026-11-23T15:30:00Z'];

const source = fc.record({
  sourceType: fc.constantFrom('attendance' as const, 'lesson' as const),
  learnerId: fc.constantFrom('L1', 'L2', 'L3'),
  hours: fc.constantFrom(0.33, 0.5, 1, 1.5, 2, 2.67, 3, 4),
  earnedAt: fc.constantFrom(...DAYS).map((d) => new Date(d)),
});

/** Sources in crediting order, each with its own id, cut into the pushes (and approvals) that credited them. */
const history = fc
  .array(source, { maxLength: 60 })
  .chain((sources) =>
    fc.tuple(
      fc.constant(sources.map((s, i): CreditSource => ({ ...s, sourceId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }))),
      fc.array(fc.integer({ min: 1, max: 8 }), { minLength: sources.length, maxLength: sources.length }),
    ),
  );

/** The push path: each batch sees what the ledger already holds per learner and day (addLedgerEntries' query). */
function incremental(sources: CreditSource[], batchSizes: number[]): LedgerLine[] {
  const ledger: LedgerLine[] = [];
  for (let i = 0, b = 0; i < sources.length; i += batchSizes[b++]!) {
    const used = new Map<string, number>();
    for (const entry of ledger) used.set(dayKey(entry.learnerId, entry.earnedOn), (used.get(dayKey(entry.learnerId, entry.earnedOn)) ?? 0) + entry.hours);
    ledger.push(...applyCreditRules(sources.slice(i, i + batchSizes[b]!), RULES, used));
  }
  return ledger;
}

describe('the credit rule', () => {
  it('gives the same ledger pushed batch by batch as recomputed from scratch, on generated histories', () => {
    fc.assert(
      fc.property(history, ([sources, batchSizes]) => {
        expect(incremental(sources, batchSizes)).toEqual(applyCreditRules(sources, RULES));
      }),
      { numRuns: 300 },
    );
  });

  it('never grants a learner more than the daily cap on one day, across every source type', () => {
    fc.assert(
      fc.property(history, ([sources]) => {
        const perDay = new Map<string, number>();
        for (const e of applyCreditRules(sources, RULES)) perDay.set(dayKey(e.learnerId, e.earnedOn), (perDay.get(dayKey(e.learnerId, e.earnedOn)) ?? 0) + e.hours);
        for (const hours of perDay.values()) expect(hours).toBeLessThanOrEqual(RULES.dailyCapHours + 1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it('one 2 h lesson and three 2 h classes on one day make 6 h, the last class 0 h', () => {
    const day = new Date('2026-11-20T02:00:00Z');
    const sources: CreditSource[] = [
      { sourceType: 'lesson', sourceId: 'lesson', learnerId: 'L', hours: 2, earnedAt: day },
      ...[1, 2, 3].map((n): CreditSource => ({ sourceType: 'attendance', sourceId: `class-${n}`, learnerId: 'L', hours: 2, earnedAt: day })),
    ];
    expect(applyCreditRules(sources, RULES).map((e) => e.hours)).toEqual([2, 2, 2, 0]);
  });

  it('counts a day in Guangdong time, not UTC', () => {
    const [late, early] = applyCreditRules(
      [
        { sourceType: 'attendance', sourceId: 'a', learnerId: 'L', hours: 6, earnedAt: new Date('2026-11-20T15:30:00Z') },
        { sourceType: 'attendance', sourceId: 'b', learnerId: 'L', hours: 6, earnedAt: new Date('2026-11-20T16:30:00Z') },
      ],
      RULES,
    );
    expect([late!.earnedOn, early!.earnedOn]).toEqual(['2026-11-20', '2026-11-21']);
    expect([late!.hours, early!.hours]).toEqual([6, 6]);
  });
});
