import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Finds the Chromium or Chrome the end-to-end tests and benchmarks drive, and installs one on a
 * fresh machine that has none, so `npm install && npm test` works there as it does on CI.
 */

/** What the lookup reads from the machine; tests pass their own. */
export interface ChromiumLookup {
  env: Record<string, string | undefined>;
  homeDir: string;
  isExecutable(path: string): boolean;
  /** Entry names of a folder, or [] when it does not exist. */
  list(folder: string): string[];
}

export const systemLookup: ChromiumLookup = {
  env: process.env,
  homeDir: homedir(),
  isExecutable(path) {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  },
  list(folder) {
    return existsSync(folder) ? readdirSync(folder) : [];
  },
};

/** Names Debian, Ubuntu, Fedora and Google's packages give the browser on PATH. */
export const SYSTEM_BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
/** Where `playwright install chromium` puts the binary inside `chromium-<revision>/`, newest layout first. */
const PLAYWRIGHT_BINARIES = ['chrome-linux64/chrome', 'chrome-linux-arm64/chrome', 'chrome-linux/chrome'];

export class ChromiumNotFound extends Error {}

/** Playwright's browser cache: PLAYWRIGHT_BROWSERS_PATH when set, else ~/.cache/ms-playwright. */
function playwrightCache(lookup: ChromiumLookup): string {
  const configured = lookup.env.PLAYWRIGHT_BROWSERS_PATH;
  return configured && configured !== '0' ? configured : join(lookup.homeDir, '.cache', 'ms-playwright');
}

/**
 * CHROMIUM_PATH first (an error if it names nothing runnable: a typo should not silently pick
 * another browser), then the system's browser on PATH, then the newest one in Playwright's cache.
 */
export function findChromium(lookup: ChromiumLookup = systemLookup): string | null {
  const configured = lookup.env.CHROMIUM_PATH;
  if (configured) {
    if (lookup.isExecutable(configured)) return configured;
    throw new ChromiumNotFound(`CHROMIUM_PATH=${configured} is not an executable file.`);
  }
  const folders = (lookup.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of SYSTEM_BROWSER_NAMES) {
    for (const folder of folders) {
      const candidate = join(folder, name);
      if (lookup.isExecutable(candidate)) return candidate;
    }
  }
  const cache = playwrightCache(lookup);
  const revisions = lookup
    .list(cache)
    .map((name) => /^chromium-(\d+)$/.exec(name))
    .filter((match) => match !== null)
    .sort((a, b) => Number(b[1]) - Number(a[1]));
  for (const [folder] of revisions) {
    for (const binary of PLAYWRIGHT_BINARIES) {
      const candidate = join(cache, folder, binary);
      if (lookup.isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

export interface InstallStep {
  command: string;
  args: string[];
  /** Said before it runs, so nobody wonders why the tests are downloading. */
  why: string;
}

/** The fields of /etc/os-release that decide how to install. */
export interface OsRelease {
  id: string;
  idLike: string[];
}

export function parseOsRelease(text: string): OsRelease {
  const field = (name: string) => new RegExp(`^${name}=("?)([^"\\n]*)\\1$`, 'm').exec(text)?.[2] ?? '';
  return { id: field('ID'), idLike: field('ID_LIKE').split(/\s+/).filter(Boolean) };
}

/**
 * Debian's own `chromium` package as root on Debian and its derivatives. Ubuntu's apt package is
 * only a wrapper around a snap, which does not run in containers or CI, so Ubuntu (and any
 * machine where apt is not ours to use) gets Playwright's build instead; as root, with the
 * libraries it needs from apt.
 */
export function installSteps(os: OsRelease | null, isRoot: boolean): InstallStep[] {
  const debianFamily = os !== null && (os.id === 'debian' || os.idLike.includes('debian'));
  const ubuntu = os !== null && (os.id === 'ubuntu' || os.idLike.includes('ubuntu'));
  if (debianFamily && !ubuntu && isRoot) {
    return [
      { command: 'apt-get', args: ['update'], why: 'No Chromium or Chrome found: installing Debian\'s chromium package (apt-get update)' },
      { command: 'apt-get', args: ['install', '-y', 'chromium'], why: 'apt-get install chromium' },
    ];
  }
  const withDeps = (ubuntu || debianFamily) && isRoot ? ['--with-deps'] : [];
  return [
    {
      command: 'npx',
      args: ['--no-install', 'playwright-core', 'install', ...withDeps, 'chromium'],
      why: `No Chromium or Chrome found: downloading Playwright's Chromium (npx playwright-core install ${[...withDeps, 'chromium'].join(' ')})`,
    },
  ];
}

function readOsRelease(): OsRelease | null {
  try {
    return parseOsRelease(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return null;
  }
}

/** The browser to drive; installs one first when the machine has none. */
export function ensureChromium(log: (line: string) => void = console.log): string {
  const found = findChromium();
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  for (const step of installSteps(process.platform === 'linux' ? readOsRelease() : null, isRoot)) {
    log(step.why);
    const result = spawnSync(step.command, step.args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      shell: process.platform === 'win32',
    });
    if (result.status !== 0) {
      throw new ChromiumNotFound(
        `"${step.command} ${step.args.join(' ')}" failed (${result.error?.message ?? `exit ${result.status}`}). ` +
          'Install Chromium or Chrome yourself, or set CHROMIUM_PATH to one.',
      );
    }
  }
  const installed = findChromium();
  if (!installed) throw new ChromiumNotFound('Chromium was installed but is still not found; set CHROMIUM_PATH to it.');
  log(`Using ${installed}`);
  return installed;
}

/** For what must not install anything (benchmarks, single test runs outside vitest's setup). */
export function requireChromium(): string {
  const found = findChromium();
  if (found) return found;
  throw new ChromiumNotFound(
    `No Chromium or Chrome found (CHROMIUM_PATH, ${SYSTEM_BROWSER_NAMES.join(', ')} on PATH, or ${playwrightCache(systemLookup)}). ` +
      'Run the end-to-end tests once (npx vitest run --project e2e) to install one, or set CHROMIUM_PATH.',
  );
}
