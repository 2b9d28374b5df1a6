import { describe, expect, it } from 'vitest';
import { MAX_RELOADS_IN_A_ROW, startKioskShell, type KioskShellSetup } from '../../electron/kiosk-shell';
import { KIOSK_PAGE_CSP } from '../../electron/host/content-security-policy';
import { fakeElectron } from '../support/fake-electron';

const URL_ = 'http://127.0.0.1:4320/';

/** Starts the shell the way main.ts does, on a fake Electron, with hand-driven timers. */
async function start({ env = {}, platform = 'linux', kioskUrl = async () => URL_, anotherKioskRuns = false }: Partial<KioskShellSetup> & { anotherKioskRuns?: boolean } = {}) {
  const fake = fakeElectron();
  fake.app.hasLock = !anotherKioskRuns;
  const timers: (() => void)[] = [];
  const uncaught: ((error: Error) => void)[] = [];
  const setup: KioskShellSetup = {
    env,
    platform,
    preloadPath: '/app/dist-electron/preload.cjs',
    kioskUrl,
    onUncaughtException: (listener) => void uncaught.push(listener),
    setTimeout: (fn) => timers.push(fn),
    now: () => 0,
    log: () => undefined,
  };
  const started = startKioskShell(fake.electron, setup);
  if (started) await started.ready;
  return { ...fake, started, timers, uncaught };
}

describe('the Electron shell, started as main.ts starts it', () => {
  it('opens one locked-down kiosk window with no menu, no DevTools, the display kept on', async () => {
    const { windows, menus, powerSaveBlocks } = await start();
    expect(menus).toEqual([null]);
    expect(powerSaveBlocks).toEqual(['prevent-display-sleep']);
    expect(windows).toHaveLength(1);
    const { options, window } = windows[0]!;
    expect(options).toMatchObject({ kiosk: true, webPreferences: { devTools: false, sandbox: true, preload: '/app/dist-electron/preload.cjs' } });
    expect(window.loaded).toEqual([URL_]);
    expect(window.press({ key: 'I', code: 'KeyI', control: true, shift: true })).toBe(true);
    window.contents.emit('devtools-opened');
    expect(window.devToolsClosed).toBe(1);
  });

  it('allows the camera and nothing else, and sets the CSP, on the session the window uses', async () => {
    const { session } = await start();
    expect(session.request('media', { requestingUrl: URL_, isMainFrame: true, mediaTypes: ['video'] })).toBe(true);
    expect(session.request('media', { requestingUrl: URL_, isMainFrame: true, mediaTypes: ['audio'] })).toBe(false);
    expect(session.check('geolocation', URL_, { isMainFrame: true })).toBe(false);
    expect(session.headersFor({ url: URL_ }).responseHeaders).toEqual({ 'Content-Security-Policy': [KIOSK_PAGE_CSP] });
  });

  it('opens DevTools only with YUEXUE_DEVTOOLS=1, and a windowed session keeps its shortcuts', async () => {
    const { windows } = await start({ env: { YUEXUE_DEVTOOLS: '1', YUEXUE_WINDOWED: '1' } });
    const { options, window } = windows[0]!;
    expect(options).toMatchObject({ kiosk: false, webPreferences: { devTools: true } });
    expect(window.press({ key: 'r', code: 'KeyR', control: true })).toBe(false);
  });

  it('quits when another kiosk already runs, and brings that one forward', async () => {
    const refused = await start({ anotherKioskRuns: true });
    expect(refused.started).toBe(false);
    expect(refused.app.quits).toBe(1);
    expect(refused.menus).toEqual([]);
    expect(refused.windows).toEqual([]);

    const running = await start();
    running.windows[0]!.window.minimized = true;
    running.app.emit('second-instance');
    expect(running.windows[0]!.window.focused).toBe(1);
  });

  it('relaunches after the window closes, the renderer keeps dying or the main process throws', async () => {
    const closed = await start();
    closed.windows[0]!.window.emit('closed');
    expect(closed.app.relaunched).toBe(1);

    const dying = await start();
    const { window } = dying.windows[0]!;
    for (let i = 0; i < MAX_RELOADS_IN_A_ROW; i++) {
      window.contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
      for (const run of dying.timers.splice(0)) run();
    }
    expect(window.loaded).toHaveLength(1 + MAX_RELOADS_IN_A_ROW);
    expect(dying.app.relaunched).toBe(0);
    window.contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    expect(dying.app.relaunched).toBe(1);

    const throwing = await start();
    throwing.uncaught[0]!(new Error('boom'));
    expect(throwing.app.relaunched).toBe(1);
    expect(throwing.app.exitCodes).toEqual([0]);
  });

  it('reloads after a GPU process crash', async () => {
    const { app, windows, timers } = await start();
    app.emit('child-process-gone', {}, { type: 'GPU', reason: 'crashed', exitCode: 139 });
    for (const run of timers.splice(0)) run();
    expect(windows[0]!.window.loaded).toEqual([URL_, URL_]);
  });

  it('registers to start at login on Windows, not on Linux', async () => {
    expect((await start({ platform: 'win32' })).app.loginItems).toEqual([{ openAtLogin: true }]);
    expect((await start({ platform: 'linux' })).app.loginItems).toEqual([]);
  });

  it('says why and quits when the kiosk host cannot start', async () => {
    const { errorBoxes, app, windows } = await start({
      kioskUrl: async () => {
        throw new Error('kiosk.json: platformUrl is missing');
      },
    });
    expect(errorBoxes).toEqual(['kiosk.json: platformUrl is missing']);
    expect(app.quits).toBe(1);
    expect(windows).toEqual([]);
  });
});
