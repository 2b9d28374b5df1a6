import type { KeyInput, WebContentsLike } from './electron-api';

// Chromium still honours its built-in accelerators with no application menu. A learner at the
// kiosk's keyboard must not reload the page mid check-in, close or quit the app, zoom the layout
// out of shape or open DevTools (which would show the relay and every card).
const PRIMARY_LETTERS = new Set(['r', 'w', 'q']);
const ZOOM_KEYS = new Set(['=', '+', '-', '_', '0', 'equal', 'minus', 'digit0', 'numpadadd', 'numpadsubtract', 'numpad0']);
const DEVTOOLS_LETTERS = new Set(['i', 'j', 'c']);

/** The names a key goes by: its character and its physical key (so an IME or a layout cannot hide it). */
function keyNames(input: KeyInput): Set<string> {
  const code = input.code.toLowerCase();
  return new Set([input.key.toLowerCase(), code.startsWith('key') ? code.slice(3) : code]);
}

const any = (names: Set<string>, wanted: Set<string>) => [...names].some((name) => wanted.has(name));

/** Whether a key event is a reload, close, quit, zoom or DevTools shortcut on Windows, Linux or macOS. */
export function isKioskEscapeShortcut(input: KeyInput): boolean {
  const names = keyNames(input);
  // Cmd on macOS, Ctrl elsewhere.
  const primary = input.control || input.meta;
  if (names.has('f5') || names.has('f12')) return true;
  if (input.alt && names.has('f4')) return true;
  if (input.control && names.has('f4')) return true;
  // AltGr arrives as Ctrl+Alt: AltGr+Q is '@' on some layouts, a character, not a shortcut.
  const altGr = input.control && input.alt && !input.meta;
  if (!primary || altGr) return false;
  if (any(names, PRIMARY_LETTERS)) return true;
  if (any(names, ZOOM_KEYS)) return true;
  // Ctrl+Shift+I/J/C, and Cmd+Alt+I/J/C on macOS.
  return (input.shift || input.alt) && any(names, DEVTOOLS_LETTERS);
}

/** Swallows those shortcuts before the page or Chromium sees them. */
export function blockKioskEscapeShortcuts(webContents: WebContentsLike, log: (message: string) => void): void {
  webContents.on('before-input-event', (event, input) => {
    if (!isKioskEscapeShortcut(input)) return;
    event.preventDefault();
    if (input.type === 'keyDown') log(`swallowed shortcut ${describe(input)}`);
  });
}

function describe(input: KeyInput): string {
  return [input.control && 'Ctrl', input.meta && 'Meta', input.alt && 'Alt', input.shift && 'Shift', input.key].filter(Boolean).join('+');
}
