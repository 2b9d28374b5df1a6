/**
 * The slice of Electron's API the shell uses. main.ts passes the real module in; unit tests pass
 * fakes, so the shell's rules are tested without the Electron binary.
 */
export interface WebContentsLike {
  on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): void;
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string }) => void): void;
  on(event: 'did-fail-load', listener: (event: unknown, code: number, description: string) => void): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void;
  reload(): void;
}

export interface BrowserWindowLike {
  webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  on(event: 'unresponsive', listener: () => void): void;
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
  };
}

export interface ElectronShellApi {
  createWindow(options: KioskWindowOptions): BrowserWindowLike;
  setTimeout(fn: () => void, ms: number): unknown;
  log(message: string): void;
}

/** What main.ts takes from the `electron` module (loaded at run time: it is optional here). */
export interface ElectronMainModule {
  app: {
    whenReady(): Promise<void>;
    getPath(name: 'userData'): string;
    getAppPath(): string;
    on(event: 'window-all-closed' | 'will-quit', listener: () => void): void;
    quit(): void;
  };
  BrowserWindow: new (options: KioskWindowOptions) => BrowserWindowLike;
  dialog: { showErrorBox(title: string, content: string): void };
}
