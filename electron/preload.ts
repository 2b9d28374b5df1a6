// Bundled to CommonJS (sandboxed preloads cannot be ES modules), where require is Electron's.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { contextBridge } = require('electron') as { contextBridge: { exposeInMainWorld(key: string, api: unknown): void } };

// The only thing the page learns from the shell: that it runs in Electron. Everything else goes
// through the kiosk host over HTTP, exactly as in the browser kiosk.
contextBridge.exposeInMainWorld('yuexueShell', Object.freeze({ kind: 'electron' }));

export {};
