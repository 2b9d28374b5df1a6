import { describe, expect, it } from 'vitest';
import { createKioskBrowserWindow, devToolsAllowed, type KioskWindowSettings } from '../../electron/kiosk-window';
import { recoverFromChildProcessCrashes } from '../../electron/kiosk-recovery';
import { FakeApp, fakeShell, type FakeWindow } from '../support/fake-electron';

const URL_ = 'http://127.0.0.1:4320/';
const BACKOFF = { firstDelayMs: 1000, maxDelayMs: 8000, stableAfterMs: 60_000 };

function open(settings: Partial<KioskWindowSettings> = {}, maxFailuresInARow = 10) {
  const shell = fakeShell();
  const givenUp: string[] = [];
  const { recovery } = createKioskBrowserWindow(
    shell.api,
    { url: URL_, preloadPath: '/app/preload.cjs', kioskMode: true, devTools: false, ...settings },
    { backoff: BACKOFF, maxFailuresInARow, onKeepsFailing: (why) => void givenUp.push(why) },
  );
  const { options, window } = shell.created[0]!;
  return { ...shell, options, window, recovery, givenUp };
}

const crash = (window: FakeWindow, reason = 'crashed') => window.contents.emit('render-process-gone', {}, { reason, exitCode: 1 });
const failLoad = (window: FakeWindow, code: number, isMainFrame: boolean) =>
  window.contents.emit('did-fail-load', {}, code, 'ERR', URL_, isMainFrame);

describe('kiosk window', () => {
  it('opens the kiosk host in a locked-down, isolated window without DevTools', () => {
    const { options, window } = open();
    expect(options.kiosk).toBe(true);
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      devTools: false,
      preload: '/app/preload.cjs',
    });
    expect(window.loaded).toEqual([URL_]);
  });

  it('blocks navigation away from the kiosk host and every new window', () => {
    const { window } = open();
    let prevented = 0;
    window.contents.emit('will-navigate', { preventDefault: () => prevented++ }, 'https://example.com/');
    window.contents.emit('will-navigate', { preventDefault: () => prevented++ }, 'http://127.0.0.1:4320/other');
    window.contents.emit('will-navigate', { preventDefault: () => prevented++ }, 'http://127.0.0.1:4321/');
    expect(prevented).toBe(2);
    expect(window.openHandler?.({ url: 'http://127.0.0.1:4320/x' })).toEqual({ action: 'deny' });
  });
});

describe('DevTools', () => {
  it('are allowed only by YUEXUE_DEVTOOLS=1', () => {
    expect(devToolsAllowed({})).toBe(false);
    expect(devToolsAllowed({ YUEXUE_DEVTOOLS: 'true' })).toBe(false);
    expect(devToolsAllowed({ YUEXUE_DEVTOOLS: '0' })).toBe(false);
    expect(devToolsAllowed({ YUEXUE_DEVTOOLS: '1' })).toBe(true);
  });

  it('are closed as soon as they open, unless allowed', () => {
    const locked = open();
    locked.window.contents.emit('devtools-opened');
    expect(locked.window.devToolsClosed).toBe(1);

    const allowed = open({ devTools: true });
    expect(allowed.options.webPreferences.devTools).toBe(true);
    allowed.window.contents.emit('devtools-opened');
    expect(allowed.window.devToolsClosed).toBe(0);
  });
});

describe('keyboard shortcuts', () => {
  it('are swallowed in kiosk mode', () => {
    const { window } = open();
    expect(window.press({ key: 'r', code: 'KeyR', control: true })).toBe(true);
    expect(window.press({ key: 'F12', code: 'F12' })).toBe(true);
    expect(window.press({ key: 'a', code: 'KeyA' })).toBe(false);
  });

  it('still work in a windowed development session', () => {
    const { window } = open({ kioskMode: false });
    expect(window.press({ key: 'r', code: 'KeyR', control: true })).toBe(false);
  });
});

describe('crash recovery', () => {
  it('reloads after a renderer crash, waiting longer each time crashes follow each other', () => {
    const { window, timers, runTimers, clock } = open();
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      crash(window);
      waits.push(timers[0]!.ms);
      clock.now += timers[0]!.ms;
      runTimers();
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(window.loaded).toHaveLength(6);
  });

  it('starts the wait again after a stable period', () => {
    const { window, timers, runTimers, clock } = open();
    crash(window);
    runTimers();
    crash(window);
    expect(timers[0]!.ms).toBe(2000);
    runTimers();
    clock.now += BACKOFF.stableAfterMs + 1;
    crash(window);
    expect(timers[0]!.ms).toBe(1000);
  });

  it('ends a hung renderer and reloads it once, however many events the hang causes', () => {
    const { window, timers, runTimers } = open();
    window.emit('unresponsive');
    expect(window.renderersCrashed).toBe(1);
    // Ending the renderer is itself reported as the renderer being gone.
    crash(window, 'killed');
    expect(timers).toHaveLength(1);
    runTimers();
    expect(window.loaded).toEqual([URL_, URL_]);
  });

  it('reloads when the kiosk page fails to load, not for a subframe or an aborted load', () => {
    const { window, timers } = open();
    failLoad(window, -105, false);
    failLoad(window, -3, true);
    expect(timers).toHaveLength(0);
    failLoad(window, -102, true);
    expect(timers).toHaveLength(1);
  });

  it('ignores a renderer that exits cleanly (the window closing)', () => {
    const { window, timers } = open();
    crash(window, 'clean-exit');
    expect(timers).toHaveLength(0);
  });

  it('does not reload a window that is gone', () => {
    const { window, timers, runTimers } = open();
    crash(window);
    window.destroyed = true;
    runTimers();
    crash(window);
    expect(window.loaded).toEqual([URL_]);
    expect(timers).toHaveLength(0);
  });

  it('gives up when the renderer keeps dying, so the app can relaunch', () => {
    const { window, runTimers, givenUp } = open({}, 3);
    for (let i = 0; i < 3; i++) {
      crash(window, 'oom');
      runTimers();
    }
    expect(givenUp).toEqual([]);
    crash(window, 'oom');
    expect(givenUp).toEqual(['renderer gone (oom, exit code 1)']);
  });

  it('reloads after a GPU or utility process crash, not after one that exits cleanly', () => {
    const { recovery, timers } = open();
    const app = new FakeApp();
    recoverFromChildProcessCrashes(app, recovery);
    app.emit('child-process-gone', {}, { type: 'Utility', reason: 'clean-exit', exitCode: 0, name: 'Audio Service' });
    expect(timers).toHaveLength(0);
    app.emit('child-process-gone', {}, { type: 'GPU', reason: 'crashed', exitCode: 139 });
    expect(timers).toHaveLength(1);
  });
});
