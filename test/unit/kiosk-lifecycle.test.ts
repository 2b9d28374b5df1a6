import { describe, expect, it } from 'vitest';
import { kioskLifecycle } from '../../electron/relaunch-policy';
import { claimSingleInstance } from '../../electron/single-instance';
import { keepDisplayOn, startOnLogin } from '../../electron/kiosk-startup';
import { backoffDelayMs, RecoveryBackoff } from '../../electron/recovery-backoff';
import { FakeApp, FakeWindow } from '../support/fake-electron';

const noLog = () => undefined;

describe('relaunch policy', () => {
  it('relaunches a kiosk whose window was closed', () => {
    const app = new FakeApp();
    const window = new FakeWindow();
    kioskLifecycle(app, true, noLog).watch(window);
    window.emit('closed');
    app.emit('window-all-closed');
    expect(app.relaunched).toBe(1);
    expect(app.exitCodes).toEqual([0]);
    expect(app.quits).toBe(0);
  });

  it('relaunches a kiosk whose renderer keeps dying', () => {
    const app = new FakeApp();
    kioskLifecycle(app, true, noLog).restart('the renderer keeps failing');
    expect(app.relaunched).toBe(1);
    expect(app.exitCodes).toEqual([0]);
  });

  it('obeys a quit the system asks for (shutdown, logout, the operator stopping it)', () => {
    const app = new FakeApp();
    const window = new FakeWindow();
    kioskLifecycle(app, true, noLog).watch(window);
    app.emit('before-quit');
    window.emit('closed');
    app.emit('window-all-closed');
    expect(app.relaunched).toBe(0);
    expect(app.quits).toBe(1);
  });

  it('quits normally in a windowed development session', () => {
    const app = new FakeApp();
    const window = new FakeWindow();
    const lifecycle = kioskLifecycle(app, false, noLog);
    lifecycle.watch(window);
    window.emit('closed');
    app.emit('window-all-closed');
    lifecycle.restart('the renderer keeps failing');
    expect(app.relaunched).toBe(0);
    expect(app.quits).toBe(2);
  });
});

describe('single instance', () => {
  it('a second copy quits without running', () => {
    const app = new FakeApp();
    app.hasLock = false;
    expect(claimSingleInstance(app, () => null, noLog)).toBe(false);
    expect(app.quits).toBe(1);
  });

  it('the running kiosk comes forward when a second copy starts', () => {
    const app = new FakeApp();
    const window = new FakeWindow();
    window.minimized = true;
    expect(claimSingleInstance(app, () => window, noLog)).toBe(true);
    app.emit('second-instance');
    expect(window.restored).toBe(1);
    expect(window.focused).toBe(1);
  });

  it('a second copy during start-up (no window yet) is just refused', () => {
    const app = new FakeApp();
    claimSingleInstance(app, () => null, noLog);
    expect(() => app.emit('second-instance')).not.toThrow();
  });
});

describe('start-up', () => {
  it('keeps the display from sleeping', () => {
    const started: string[] = [];
    keepDisplayOn({ start: (type) => (started.push(type), 7) });
    expect(started).toEqual(['prevent-display-sleep']);
  });

  it('registers an installed kiosk to start at login on Windows and macOS', () => {
    for (const platform of ['win32', 'darwin'] as const) {
      const app = new FakeApp();
      expect(startOnLogin(app, platform, true)).toBe(true);
      expect(app.loginItems).toEqual([{ openAtLogin: true }]);
    }
  });

  it('leaves login items alone on Linux (the deb installs autostart), in windowed mode and when not installed', () => {
    const linux = new FakeApp();
    expect(startOnLogin(linux, 'linux', true)).toBe(false);
    const windowed = new FakeApp();
    expect(startOnLogin(windowed, 'win32', false)).toBe(false);
    const development = new FakeApp();
    development.isPackaged = false;
    expect(startOnLogin(development, 'win32', true)).toBe(false);
    expect([linux, windowed, development].flatMap((app) => app.loginItems)).toEqual([]);
  });
});

describe('recovery backoff', () => {
  const settings = { firstDelayMs: 500, maxDelayMs: 30_000, stableAfterMs: 120_000 };

  it('doubles from the first delay up to the cap', () => {
    expect([0, 1, 2, 3, 6, 7, 50].map((failure) => backoffDelayMs(failure, settings))).toEqual([500, 1000, 2000, 4000, 30_000, 30_000, 30_000]);
  });

  it('counts failures in a row until a stable period passes', () => {
    const backoff = new RecoveryBackoff(settings);
    expect(backoff.failure(0)).toEqual({ delayMs: 500, inARow: 1 });
    expect(backoff.failure(1_000)).toEqual({ delayMs: 1000, inARow: 2 });
    expect(backoff.failure(120_000)).toEqual({ delayMs: 2000, inARow: 3 });
    expect(backoff.failure(240_001)).toEqual({ delayMs: 500, inARow: 1 });
  });
});
