import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Configuration } from 'electron-builder';
// electron-builder's own loader and schema check, as `npm run package` runs them.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const loadConfig = () => getConfig(root, 'electron-builder.yml', null);

// Compiling electron-builder's schema takes seconds on a loaded machine.
describe('electron-builder.yml', { timeout: 30_000 }, () => {
  it('passes electron-builder 26’s schema, which refuses unknown keys', async () => {
    const config = await loadConfig();
    await validateConfiguration(config, new DebugLogger(false));
    // The check is real: a misspelt fuse fails it.
    const misspelt = { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } } as Configuration;
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/configuration\.electronFuses/);
  });

  it('flips the fuses that close the ways around the packaged app', async () => {
    const { electronFuses } = await loadConfig();
    const expected: Configuration['electronFuses'] = {
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    };
    expect(electronFuses).toEqual(expected);
  });

  it('has the deb install an XDG autostart entry that runs the installed kiosk', async () => {
    const config = await loadConfig();
    const mapping = (config.deb?.fpm ?? []).map((arg) => arg.split('=')).find(([, target]) => target?.startsWith('/etc/xdg/autostart/'));
    expect(mapping?.[1]).toBe('/etc/xdg/autostart/yuexue-kiosk.desktop');
    const entry = readFileSync(`${root}/${mapping![0]}`, 'utf8');
    expect(entry).toMatch(/^\[Desktop Entry\]$/m);
    expect(entry).toMatch(/^Type=Application$/m);
    // electron-builder's deb after-install links /usr/bin/<executableName> to the app.
    expect(entry).toContain(`\nExec=/usr/bin/${config.linux?.executableName}\n`);
  });
});
