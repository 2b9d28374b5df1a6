const DAY_MS = 86_400_000;
/** The platform's own tolerance for kiosk clocks (credit rule `clock_skew_minutes`). */
const CLOCK_TOLERANCE_MS = 10 * 60_000;

/**
 * How staff should read the time since the platform last answered this kiosk:
 * - `unknown`: no contact recorded on this kiosk yet;
 * - `recent`: within the operator's limit (`offlineWarningDays` in kiosk.json);
 * - `too-long`: past it, with whole days offline: staff are told to bring the kiosk online or to
 *   carry its records on a USB drive. Check-ins go on either way;
 * - `clock-behind`: the kiosk's clock reads well before a contact it has already had, so it was
 *   set back: staff are asked to correct it, as the platform holds check-ins with such times.
 */
export type OfflineStanding =
  | { kind: 'unknown' }
  | { kind: 'recent'; since: Date }
  | { kind: 'too-long'; since: Date; days: number }
  | { kind: 'clock-behind'; since: Date };

/** The one rule for the offline warning. */
export function offlineStanding(lastContactAt: Date | null, now: Date, limitDays: number): OfflineStanding {
  if (!lastContactAt) return { kind: 'unknown' };
  const offlineMs = now.getTime() - lastContactAt.getTime();
  if (offlineMs < -CLOCK_TOLERANCE_MS) return { kind: 'clock-behind', since: lastContactAt };
  if (offlineMs > limitDays * DAY_MS) return { kind: 'too-long', since: lastContactAt, days: Math.floor(offlineMs / DAY_MS) };
  return { kind: 'recent', since: lastContactAt };
}
