import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { TrustedKey } from '../../../sync/protocol/course-export';
import { IssuerKey } from '../../../sync/protocol/issuer-key';
import { writeFileAtomic } from '../atomic-write';

const REFRESH_MS = 5 * 60_000;
const savedKeys = Compile(Type.Array(Type.Pick(IssuerKey, ['id', 'publicKey', 'status'])));

/**
 * The platform's issuer keys as the host last read them, kept in the kiosk's data folder: a
 * course manifest on a drive is trusted only with one of these signatures, and a village kiosk
 * checks it with no network. The host re-reads the keys while it can reach the platform (at
 * start, after enrolment, then every few minutes), so a rotated or retired key reaches it too.
 */
export class PlatformKeys {
  private keys: TrustedKey[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;

  private constructor(
    private readonly file: string,
    private readonly pull: () => Promise<TrustedKey[] | null>,
  ) {}

  /** `pull` answers the platform's keys, null while the kiosk is not enrolled; it throws offline. */
  static async open(file: string, pull: () => Promise<TrustedKey[] | null>): Promise<PlatformKeys> {
    const store = new PlatformKeys(file, pull);
    try {
      const saved: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (savedKeys.Check(saved)) store.keys = saved;
    } catch {
      // None saved yet, or a damaged file: the next refresh writes it again.
    }
    return store;
  }

  trusted(): TrustedKey[] {
    return this.keys;
  }

  /** Reads the platform's keys now; false when it cannot (offline, not enrolled), keeping the saved ones. */
  async refresh(): Promise<boolean> {
    let keys: TrustedKey[] | null;
    try {
      keys = await this.pull();
    } catch {
      return false;
    }
    if (!keys) return false;
    this.keys = keys;
    try {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, JSON.stringify(keys), 0o644);
    } catch {
      // Held in memory for this run; the next refresh tries the file again.
    }
    return true;
  }

  start(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
