/**
 * `npm run bench -- chaos [SESSIONS] [SEED]`: the fault-injection run of test/e2e/chaos.test.ts,
 * bigger (ten sessions of twenty check-ins by default, harsher faults). Prints one JSON line per
 * figure: check-ins, faults injected, kills and restarts, and what did not converge (all zero
 * when sync converges). Run `npm run build` first.
 */
import { runChaos } from '../test/support/chaos';

export async function run(args: string[]): Promise<void> {
  const sessions = Number(args[0] ?? 10);
  const seed = Number(args[1] ?? Date.now() % 1_000_000);
  const report = await runChaos({
    seed,
    sessions,
    rates: { dropRequest: 0.2, dropAnswer: 0.25, duplicate: 0.2, delay: 0.25, maxDelayMs: 300 },
    pageKill: 0.05,
    hostRestart: 0.03,
    platformRestart: 0.04,
    convergeTimeoutMs: 60_000,
  });
  const print = (metric: string, value: number) => console.log(JSON.stringify({ bench: 'chaos', metric, value, seed }));
  print('chaos_checkins', report.checkIns);
  print('chaos_requests', report.requests);
  print('chaos_dropped_requests', report.droppedRequests);
  print('chaos_dropped_answers', report.droppedAnswers);
  print('chaos_duplicates', report.duplicates);
  print('chaos_delays', report.delays);
  print('chaos_page_kills', report.pageKills);
  print('chaos_host_restarts', report.hostRestarts);
  print('chaos_platform_restarts', report.platformRestarts);
  print('chaos_status_changes', report.statusChanges);
  print('chaos_final_waiting', report.finalWaiting);
  print('chaos_without_received_at', report.withoutReceivedAt);
  print('chaos_lost_checkins', report.lostCheckIns);
  print('chaos_extra_rows', report.extraRows);
  print('chaos_ledger_mismatches', report.ledgerMismatches.length);
  print('chaos_session_mismatches', report.sessionMismatches.length);
  print('chaos_converge_ms', report.convergeMs);
  for (const line of [...report.ledgerMismatches, ...report.sessionMismatches]) console.error(line);
}
