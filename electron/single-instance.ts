import type { AppLike, BrowserWindowLike } from './electron-api';

/**
 * One kiosk per machine: two would fight over the host's port, the camera and the screen. A second
 * start (autostart plus an operator's double-click) quits and brings the running kiosk forward.
 * Returns whether this instance is the one that runs.
 */
export function claimSingleInstance(app: AppLike, runningWindow: () => BrowserWindowLike | null, log: (message: string) => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    log('a kiosk is already running on this machine; this copy quits');
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const window = runningWindow();
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  return true;
}
