import type { AppLike, BrowserWindowLike, ChildProcessGoneDetails, ElectronShellApi } from './electron-api';
import { KIOSK_RECOVERY_BACKOFF, RecoveryBackoff, type BackoffSettings } from './recovery-backoff';

/** Chromium's net::ERR_ABORTED: a load replaced by another one, not a failure. */
const ERR_ABORTED = -3;

export interface RecoveryOptions {
  backoff?: BackoffSettings;
  /** Failures in a row (see RecoveryBackoff) after which reloading is given up. */
  maxFailuresInARow: number;
  /** What to do then: relaunch the whole app in kiosk mode. */
  onKeepsFailing(why: string): void;
}

/**
 * A kiosk nobody watches must heal itself: a crashed, killed or hung renderer, a crashed GPU or
 * utility process, or a kiosk page that failed to load (host still starting) is reloaded, after a
 * wait that grows while failures keep coming. Records are safe in IndexedDB across the reload.
 */
export class KioskRecovery {
  private readonly backoff: RecoveryBackoff;
  private pending = false;

  constructor(
    private readonly window: BrowserWindowLike,
    private readonly kioskUrl: string,
    private readonly api: ElectronShellApi,
    private readonly options: RecoveryOptions,
  ) {
    this.backoff = new RecoveryBackoff(options.backoff ?? KIOSK_RECOVERY_BACKOFF);
  }

  /** Schedules one reload; further failures before it runs are the same incident. */
  recover(why: string): void {
    if (this.pending || this.window.isDestroyed()) return;
    const { delayMs, inARow } = this.backoff.failure(this.api.now());
    if (inARow > this.options.maxFailuresInARow) {
      this.api.log(`the kiosk keeps failing (${why}, ${inARow} times in a row)`);
      this.options.onKeepsFailing(why);
      return;
    }
    this.pending = true;
    this.api.log(`reloading the kiosk in ${delayMs} ms: ${why}`);
    this.api.setTimeout(() => {
      this.pending = false;
      if (this.window.isDestroyed()) return;
      // A failed load is reported (and recovered) through did-fail-load; the promise adds nothing.
      this.window.loadURL(this.kioskUrl).catch(() => undefined);
    }, delayMs);
  }
}

export function recoverFromCrashes(window: BrowserWindowLike, recovery: KioskRecovery): void {
  const { webContents } = window;
  webContents.on('render-process-gone', (_event, details) => {
    // clean-exit is the window closing, which the relaunch policy handles.
    if (details.reason !== 'clean-exit') recovery.recover(`renderer gone (${details.reason}, exit code ${details.exitCode})`);
  });
  webContents.on('did-fail-load', (_event, errorCode, errorDescription, validatedURL, isMainFrame) => {
    // A course page in an iframe that fails to load is the lesson's business, not the kiosk's.
    if (!isMainFrame || errorCode === ERR_ABORTED) return;
    recovery.recover(`load of ${validatedURL} failed (${errorCode} ${errorDescription})`);
  });
  window.on('unresponsive', () => {
    // A hung renderer cannot be reloaded in place: end its process so the reload gets a new one.
    webContents.forcefullyCrashRenderer();
    recovery.recover('renderer unresponsive');
  });
}

/** GPU, network or utility processes that die take the page's drawing or fetches with them. */
export function recoverFromChildProcessCrashes(app: AppLike, recovery: KioskRecovery): void {
  app.on('child-process-gone', (_event, details: ChildProcessGoneDetails) => {
    if (details.reason === 'clean-exit') return;
    recovery.recover(`${details.name ?? details.type} process gone (${details.reason}, exit code ${details.exitCode})`);
  });
}
