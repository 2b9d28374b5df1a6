import { describe, expect, it } from 'vitest';
import { runChaos } from '../support/chaos';

/**
 * Convergence under faults (issue #10, docs/check-in-and-sync.md "Convergence"), at CI size: 100
 * check-ins in five sessions through the real renderer while the proxy drops requests and
 * answers, duplicates and delays, and pages, the kiosk host and platform instances restart.
 * `npm run bench -- chaos` runs it bigger.
 */
describe('sync under faults', () => {
  it('ends, once the network is clean, with the kiosk and the platform holding the same records, credits and session states', async () => {
    const report = await runChaos({
      seed: 20261129,
      sessions: 5,
      rates: { dropRequest: 0.15, dropAnswer: 0.2, duplicate: 0.15, delay: 0.2, maxDelayMs: 150 },
      pageKill: 0.04,
      hostRestart: 0.02,
      platformRestart: 0.03,
      convergeTimeoutMs: 30_000,
    });
    expect(report.checkIns).toBeGreaterThanOrEqual(100);
    // The schedule really did fault: lost answers after commit, duplicates, kills and restarts.
    expect(report.droppedAnswers).toBeGreaterThan(0);
    expect(report.droppedRequests).toBeGreaterThan(0);
    expect(report.duplicates).toBeGreaterThan(0);
    expect(report.pageKills + report.hostRestarts).toBeGreaterThan(0);
    expect(report.platformRestarts).toBeGreaterThan(0);
    expect({
      finalWaiting: report.finalWaiting,
      withoutReceivedAt: report.withoutReceivedAt,
      kioskAttendance: report.kioskAttendance,
      platformAttendance: report.platformAttendance,
      lostCheckIns: report.lostCheckIns,
      extraRows: report.extraRows,
      ledgerMismatches: report.ledgerMismatches,
      sessionMismatches: report.sessionMismatches,
    }).toEqual({
      finalWaiting: 0,
      withoutReceivedAt: 0,
      kioskAttendance: report.checkIns,
      platformAttendance: report.checkIns,
      lostCheckIns: 0,
      extraRows: 0,
      ledgerMismatches: [],
      sessionMismatches: [],
    });
  });
});
