import { describe, expect, it } from 'vitest';
import { openKioskWindow } from '../../electron/kiosk-window';
import type { BrowserWindowLike, ElectronShellApi, KioskWindowOptions } from '../../electron/electron-api';

type Listener = (...args: never[]) => unknown;

/** A stand-in for Electron's BrowserWindow that records what the shell asked of it. */
class FakeWindow implements BrowserWindowLike {
  readonly listeners = new Map<string, Listener>();
  readonly windowListeners = new Map<string, Listener>();
  readonly loaded: string[] = [];
  openHandler: ((details: { url: string }) => { action: 'deny' | 'allow' }) | null = null;
  webContents = {
    on: (event: string, listener: Listener) => void this.listeners.set(event, listener),
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: 'deny' | 'allow' }) => {
      this.openHandler = handler;
    },
    reload: () => undefined,
  } as BrowserWindowLike['webContents'];
  async loadURL(url: string) {
    this.loaded.push(url);
  }
  on(event: string, listener: Listener) {
    this.windowListeners.set(event, listener);
  }
}

function shell() {
  const created: { options: KioskWindowOptions; window: FakeWindow }[] = [];
  const timers: (() => void)[] = [];
  const api: ElectronShellApi = {
    createWindow(options) {
      const window = new FakeWindow();
      created.push({ options, window });
      return window;
    },
    setTimeout: (fn) => timers.push(fn),
    log: () => undefined,
  };
  return { api, created, timers };
}

const URL_ = 'http://127.0.0.1:4320/';

describe('kiosk window', () => {
  it('opens the kiosk host in a locked-down, isolated window', () => {
    const { api, created } = shell();
    openKioskWindow(api, { url: URL_, preloadPath: '/app/preload.cjs', kioskMode: true });
    const { options, window } = created[0]!;
    expect(options.kiosk).toBe(true);
    expect(options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: '/app/preload.cjs' });
    expect(window.loaded).toEqual([URL_]);
  });

  it('blocks navigation away from the kiosk host and every new window', () => {
    const { api, created } = shell();
    openKioskWindow(api, { url: URL_, preloadPath: 'p', kioskMode: true });
    const { window } = created[0]!;
    const navigate = window.listeners.get('will-navigate') as (e: { preventDefault(): void }, url: string) => void;
    let prevented = 0;
    navigate({ preventDefault: () => prevented++ }, 'https://example.com/');
    navigate({ preventDefault: () => prevented++ }, 'http://127.0.0.1:4320/other');
    expect(prevented).toBe(1);
    expect(window.openHandler?.({ url: 'http://127.0.0.1:4320/x' })).toEqual({ action: 'deny' });
  });

  it('reloads the kiosk after a renderer crash or a hang', () => {
    const { api, created, timers } = shell();
    openKioskWindow(api, { url: URL_, preloadPath: 'p', kioskMode: false });
    const { window, options } = created[0]!;
    expect(options.kiosk).toBe(false);
    (window.listeners.get('render-process-gone') as (e: unknown, d: { reason: string }) => void)({}, { reason: 'crashed' });
    (window.windowListeners.get('unresponsive') as () => void)();
    for (const run of timers) run();
    expect(window.loaded).toEqual([URL_, URL_, URL_]);
  });
});
