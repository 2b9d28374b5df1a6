import { describe, expect, it } from 'vitest';
import { ChromiumNotFound, findChromium, installSteps, parseOsRelease, type ChromiumLookup } from '../support/find-chromium';

/** A machine holding exactly these executables (and the folders they are in). */
function machine(executables: string[], env: Record<string, string | undefined> = {}): ChromiumLookup {
  return {
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...env },
    homeDir: '/home/learner',
    isExecutable: (path) => executables.includes(path),
    list: (folder) => [
      ...new Set(executables.filter((p) => p.startsWith(`${folder}/`)).map((p) => p.slice(folder.length + 1).split('/')[0]!)),
    ],
  };
}

const PLAYWRIGHT_CHROME = '/home/learner/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome';

describe('findChromium: CHROMIUM_PATH, then the system browser on PATH, then Playwright\'s cache', () => {
  it('takes CHROMIUM_PATH before anything on PATH', () => {
    expect(findChromium(machine(['/opt/chrome/chrome', '/usr/bin/chromium'], { CHROMIUM_PATH: '/opt/chrome/chrome' }))).toBe('/opt/chrome/chrome');
  });

  it('refuses a CHROMIUM_PATH that is not there rather than quietly using another browser', () => {
    expect(() => findChromium(machine(['/usr/bin/chromium'], { CHROMIUM_PATH: '/opt/typo/chrome' }))).toThrow(
      new ChromiumNotFound('CHROMIUM_PATH=/opt/typo/chrome is not an executable file.'),
    );
  });

  it('looks for chromium, chromium-browser, google-chrome, google-chrome-stable on PATH, in that order', () => {
    expect(findChromium(machine(['/usr/bin/google-chrome', '/usr/local/bin/chromium-browser']))).toBe('/usr/local/bin/chromium-browser');
    expect(findChromium(machine(['/usr/bin/google-chrome-stable', '/bin/chromium']))).toBe('/bin/chromium');
    expect(findChromium(machine(['/usr/bin/google-chrome-stable']))).toBe('/usr/bin/google-chrome-stable');
  });

  it('follows PATH, not fixed folders', () => {
    expect(findChromium(machine(['/snap/bin/chromium'], { PATH: '/snap/bin' }))).toBe('/snap/bin/chromium');
    expect(findChromium(machine(['/usr/bin/chromium'], { PATH: '/snap/bin' }))).toBeNull();
  });

  it('prefers the system browser to Playwright\'s', () => {
    expect(findChromium(machine([PLAYWRIGHT_CHROME, '/usr/bin/chromium']))).toBe('/usr/bin/chromium');
  });

  it('falls back to the newest Chromium in Playwright\'s cache, in any of its layouts', () => {
    expect(findChromium(machine([PLAYWRIGHT_CHROME]))).toBe(PLAYWRIGHT_CHROME);
    const older = '/home/learner/.cache/ms-playwright/chromium-999/chrome-linux/chrome';
    const newer = '/home/learner/.cache/ms-playwright/chromium-1300/chrome-linux-arm64/chrome';
    expect(findChromium(machine([older, newer]))).toBe(newer);
    // chromium_headless_shell-* and ffmpeg-* sit beside it and are not browsers the tests can drive.
    expect(findChromium(machine(['/home/learner/.cache/ms-playwright/chromium_headless_shell-1255/chrome-linux64/chrome']))).toBeNull();
  });

  it('reads Playwright\'s cache where PLAYWRIGHT_BROWSERS_PATH puts it', () => {
    expect(findChromium(machine(['/srv/browsers/chromium-1255/chrome-linux64/chrome'], { PLAYWRIGHT_BROWSERS_PATH: '/srv/browsers' }))).toBe(
      '/srv/browsers/chromium-1255/chrome-linux64/chrome',
    );
  });

  it('finds nothing on a fresh machine', () => {
    expect(findChromium(machine([]))).toBeNull();
  });
});

describe('installSteps: how a machine without a browser gets one', () => {
  const debian = parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n');
  const ubuntu = parseOsRelease('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n');
  const fedora = parseOsRelease('NAME="Fedora Linux"\nID=fedora\n');

  it('reads ID and ID_LIKE from /etc/os-release', () => {
    expect(ubuntu).toEqual({ id: 'ubuntu', idLike: ['debian'] });
    expect(debian).toEqual({ id: 'debian', idLike: [] });
  });

  it('uses apt on Debian as root', () => {
    expect(installSteps(debian, true).map((s) => [s.command, ...s.args].join(' '))).toEqual([
      'apt-get update',
      'apt-get install -y chromium',
    ]);
  });

  it('uses Playwright\'s Chromium on Ubuntu, whose apt package is only a snap wrapper; with its libraries as root', () => {
    expect(installSteps(ubuntu, true).map((s) => [s.command, ...s.args].join(' '))).toEqual([
      'npx --no-install playwright-core install --with-deps chromium',
    ]);
  });

  it('uses Playwright\'s Chromium without root, or off Debian and Ubuntu', () => {
    for (const steps of [installSteps(debian, false), installSteps(fedora, true), installSteps(null, false)]) {
      expect(steps.map((s) => [s.command, ...s.args].join(' '))).toEqual(['npx --no-install playwright-core install chromium']);
    }
  });

  it('says what it is about to do', () => {
    expect(installSteps(debian, true)[0]!.why).toMatch(/No Chromium or Chrome found.*apt-get update/);
    expect(installSteps(null, false)[0]!.why).toMatch(/No Chromium or Chrome found.*playwright-core install chromium/);
  });
});
