import type {
  AppLike,
  BrowserWindowLike,
  ElectronMainModule,
  ElectronShellApi,
  HeadersReceivedDetails,
  KeyInput,
  KioskWindowOptions,
  PermissionCheckDetails,
  PermissionRequestDetails,
  SessionLike,
} from '../../electron/electron-api';

type Listener = (...args: never[]) => unknown;

/** Listeners by event name, called as Electron would call them. */
class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => unknown)(...args);
  }
}

/** A stand-in for Electron's BrowserWindow that records what the shell asked of it. */
export class FakeWindow extends Emitter implements BrowserWindowLike {
  readonly loaded: string[] = [];
  readonly contents = new Emitter();
  destroyed = false;
  minimized = false;
  focused = 0;
  restored = 0;
  devToolsClosed = 0;
  renderersCrashed = 0;
  openHandler: ((details: { url: string }) => { action: 'deny' | 'allow' }) | null = null;
  webContents = {
    on: (event: string, listener: Listener) => this.contents.on(event, listener),
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: 'deny' | 'allow' }) => {
      this.openHandler = handler;
    },
    closeDevTools: () => void this.devToolsClosed++,
    forcefullyCrashRenderer: () => void this.renderersCrashed++,
  } as BrowserWindowLike['webContents'];

  async loadURL(url: string) {
    this.loaded.push(url);
  }
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.restored++;
    this.minimized = false;
  }
  focus() {
    this.focused++;
  }

  /** A key the page is about to get; returns whether the shell swallowed it. */
  press(input: Partial<KeyInput> & { key: string }): boolean {
    let prevented = false;
    const full: KeyInput = { type: 'keyDown', code: '', control: false, meta: false, shift: false, alt: false, ...input };
    this.contents.emit('before-input-event', { preventDefault: () => (prevented = true) }, full);
    return prevented;
  }
}

/** ElectronShellApi with a hand-driven clock and timers. */
export function fakeShell() {
  const created: { options: KioskWindowOptions; window: FakeWindow }[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const logs: string[] = [];
  const clock = { now: 0 };
  const api: ElectronShellApi = {
    createWindow(options) {
      const window = new FakeWindow();
      created.push({ options, window });
      return window;
    },
    setTimeout: (fn, ms) => timers.push({ fn, ms }),
    now: () => clock.now,
    log: (message) => void logs.push(message),
  };
  /** Runs the timers due so far, in order, as the event loop would. */
  const runTimers = () => {
    for (const timer of timers.splice(0)) timer.fn();
  };
  return { api, created, timers, logs, clock, runTimers };
}

/** A stand-in for Electron's `app`. */
export class FakeApp extends Emitter implements AppLike {
  isPackaged = true;
  hasLock = true;
  relaunched = 0;
  exitCodes: number[] = [];
  quits = 0;
  loginItems: { openAtLogin: boolean }[] = [];
  async whenReady() {}
  getPath() {
    return '/tmp/user-data';
  }
  getAppPath() {
    return '/app';
  }
  requestSingleInstanceLock() {
    return this.hasLock;
  }
  setLoginItemSettings(settings: { openAtLogin: boolean }) {
    this.loginItems.push(settings);
  }
  relaunch() {
    this.relaunched++;
  }
  exit(code = 0) {
    this.exitCodes.push(code);
  }
  quit() {
    this.quits++;
    // As Electron does: before-quit, then the windows close.
    this.emit('before-quit');
  }
}

type RequestHandler = Parameters<SessionLike['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<SessionLike['setPermissionCheckHandler']>[0];
type HeadersListener = Parameters<SessionLike['webRequest']['onHeadersReceived']>[1];

/** A stand-in for Electron's session: the handlers the shell sets, callable as Chromium would. */
export class FakeSession implements SessionLike {
  requestHandler: RequestHandler | null = null;
  checkHandler: CheckHandler | null = null;
  headersFilter: { urls: string[] } | null = null;
  headersListener: HeadersListener | null = null;

  setPermissionRequestHandler(handler: RequestHandler) {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: CheckHandler) {
    this.checkHandler = handler;
  }
  webRequest = {
    onHeadersReceived: (filter: { urls: string[] }, listener: HeadersListener) => {
      this.headersFilter = filter;
      this.headersListener = listener;
    },
  };

  request(permission: string, details: PermissionRequestDetails): boolean {
    let granted: boolean | null = null;
    this.requestHandler!({}, permission, (answer) => (granted = answer), details);
    if (granted === null) throw new Error('the permission request was never answered');
    return granted;
  }
  check(permission: string, requestingOrigin: string, details: PermissionCheckDetails): boolean {
    return this.checkHandler!({}, permission, requestingOrigin, details);
  }
  headersFor(details: HeadersReceivedDetails): { responseHeaders?: Record<string, string | string[]> } {
    let response: { responseHeaders?: Record<string, string | string[]> } | null = null;
    this.headersListener!(details, (answer) => (response = answer));
    if (response === null) throw new Error('the headers were never answered');
    return response;
  }
}

/** The whole slice of the `electron` module main.ts uses, faked. */
export function fakeElectron() {
  const app = new FakeApp();
  const session = new FakeSession();
  const windows: { options: KioskWindowOptions; window: FakeWindow }[] = [];
  const menus: unknown[] = [];
  const powerSaveBlocks: string[] = [];
  const errorBoxes: string[] = [];
  // Called with `new`, as Electron's class is: the object it returns is what `new` gives.
  function BrowserWindow(options: KioskWindowOptions): FakeWindow {
    const window = new FakeWindow();
    windows.push({ options, window });
    return window;
  }
  const electron: ElectronMainModule = {
    app,
    BrowserWindow: BrowserWindow as unknown as ElectronMainModule['BrowserWindow'],
    Menu: { setApplicationMenu: (menu) => void menus.push(menu) },
    dialog: { showErrorBox: (_title, content) => void errorBoxes.push(content) },
    powerSaveBlocker: { start: (type) => powerSaveBlocks.push(type) },
    session: { defaultSession: session },
  };
  return { electron, app, session, windows, menus, powerSaveBlocks, errorBoxes };
}
