import type { AppLike, BrowserWindowLike } from './electron-api';

export interface KioskLifecycle {
  /** Starts a fresh copy of the app and ends this one (kiosk mode) or just quits (windowed). */
  restart(why: string): void;
  /** The window the lifecycle watches; closing it relaunches a kiosk. */
  watch(window: BrowserWindowLike): void;
}

/**
 * A kiosk in a hall has no one to start it again: in kiosk mode, a closed window or a renderer
 * that keeps dying relaunches the app. A quit the system asks for (shutdown, logout, the operator
 * stopping the service: Electron's before-quit) is obeyed. Windowed development quits normally.
 */
export function kioskLifecycle(app: AppLike, kioskMode: boolean, log: (message: string) => void): KioskLifecycle {
  let quitting = false;
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('window-all-closed', () => {
    if (!kioskMode || quitting) app.quit();
  });
  const restart = (why: string) => {
    if (!kioskMode) {
      log(`quitting: ${why}`);
      app.quit();
      return;
    }
    log(`relaunching the kiosk: ${why}`);
    // Electron starts the new instance once this one has exited, so it gets the single-instance lock.
    app.relaunch();
    app.exit(0);
  };
  return {
    restart,
    watch(window) {
      window.on('closed', () => {
        if (kioskMode && !quitting) restart('the kiosk window was closed');
      });
    },
  };
}
