import type { AppLike, ElectronMainModule } from './electron-api';

/** A kiosk's screen must not blank or lock while learners walk up to it. */
export function keepDisplayOn(powerSaveBlocker: ElectronMainModule['powerSaveBlocker']): number {
  return powerSaveBlocker.start('prevent-display-sleep');
}

/**
 * Starts the kiosk when its account logs in, on Windows and macOS. Linux has no login items: the
 * deb installs an XDG autostart entry instead (electron-builder.yml). Only an installed app in
 * kiosk mode registers itself: a developer's `electron .` must not start at their next login.
 */
export function startOnLogin(app: AppLike, platform: NodeJS.Platform, kioskMode: boolean): boolean {
  if (!kioskMode || !app.isPackaged || (platform !== 'win32' && platform !== 'darwin')) return false;
  app.setLoginItemSettings({ openAtLogin: true });
  return true;
}
