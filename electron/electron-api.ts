/**
 * The slice of Electron's API the shell uses, named and shaped as in Electron 45's electron.d.ts.
 * main.ts passes the real module in; unit tests pass fakes, so the shell's rules are tested
 * without the Electron binary.
 */

/** Electron's `Input`: a key event the page is about to receive. */
export interface KeyInput {
  type: string;
  key: string;
  code: string;
  control: boolean;
  meta: boolean;
  shift: boolean;
  alt: boolean;
}

export interface PreventableEvent {
  preventDefault(): void;
}

export interface WebContentsLike {
  on(event: 'will-navigate', listener: (event: PreventableEvent, url: string) => void): void;
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string; exitCode: number }) => void): void;
  on(
    event: 'did-fail-load',
    listener: (event: unknown, errorCode: number, errorDescription: string, validatedURL: string, isMainFrame: boolean) => void,
  ): void;
  on(event: 'before-input-event', listener: (event: PreventableEvent, input: KeyInput) => void): void;
  on(event: 'devtools-opened', listener: () => void): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void;
  closeDevTools(): void;
  forcefullyCrashRenderer(): void;
}

export interface BrowserWindowLike {
  webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  on(event: 'unresponsive' | 'closed', listener: () => void): void;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  focus(): void;
}

export interface KioskWindowOptions {
  kiosk: boolean;
  fullscreen: boolean;
  autoHideMenuBar: boolean;
  backgroundColor: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    webSecurity: true;
    spellcheck: false;
    devTools: boolean;
  };
}

/** Electron's `PermissionRequest` / `MediaAccessPermissionRequest`. */
export interface PermissionRequestDetails {
  requestingUrl?: string;
  isMainFrame?: boolean;
  securityOrigin?: string;
  mediaTypes?: ('video' | 'audio')[];
}

/** The `details` of Electron's `setPermissionCheckHandler` handler. */
export interface PermissionCheckDetails {
  embeddingOrigin?: string;
  securityOrigin?: string;
  mediaType?: 'video' | 'audio' | 'unknown';
  requestingUrl?: string;
  isMainFrame: boolean;
}

/** Electron's `OnHeadersReceivedListenerDetails`, the fields the shell reads. */
export interface HeadersReceivedDetails {
  url: string;
  responseHeaders?: Record<string, string[]>;
}

export interface SessionLike {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: PermissionRequestDetails) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (webContents: unknown, permission: string, requestingOrigin: string, details: PermissionCheckDetails) => boolean,
  ): void;
  webRequest: {
    onHeadersReceived(
      filter: { urls: string[] },
      listener: (details: HeadersReceivedDetails, callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void) => void,
    ): void;
  };
}

export interface ChildProcessGoneDetails {
  type: string;
  reason: string;
  exitCode: number;
  name?: string;
}

export interface AppLike {
  whenReady(): Promise<void>;
  getPath(name: 'userData'): string;
  getAppPath(): string;
  readonly isPackaged: boolean;
  on(event: 'window-all-closed' | 'will-quit' | 'before-quit' | 'second-instance', listener: () => void): void;
  on(event: 'child-process-gone', listener: (event: unknown, details: ChildProcessGoneDetails) => void): void;
  requestSingleInstanceLock(): boolean;
  setLoginItemSettings(settings: { openAtLogin: boolean }): void;
  relaunch(): void;
  exit(exitCode?: number): void;
  quit(): void;
}

export interface ElectronShellApi {
  createWindow(options: KioskWindowOptions): BrowserWindowLike;
  setTimeout(fn: () => void, ms: number): unknown;
  /** Milliseconds, monotonic enough for backoff: Date.now in the shell, a fake clock in tests. */
  now(): number;
  log(message: string): void;
}

/** What main.ts takes from the `electron` module (loaded at run time: it is optional here). */
export interface ElectronMainModule {
  app: AppLike;
  BrowserWindow: new (options: KioskWindowOptions) => BrowserWindowLike;
  Menu: { setApplicationMenu(menu: null): void };
  dialog: { showErrorBox(title: string, content: string): void };
  powerSaveBlocker: { start(type: 'prevent-app-suspension' | 'prevent-display-sleep'): number };
  session: { defaultSession: SessionLike };
}
