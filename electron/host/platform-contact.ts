import { readFile } from 'node:fs/promises';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { IsoDateTime } from '../../sync/protocol/common';
import { writeFileAtomic } from './atomic-write';

/** In the kiosk's data folder, beside the record journal. */
export const PLATFORM_CONTACT_FILE = 'platform-contact.json';

/** Staff count offline time in days: a write every few minutes is precise enough and spares the disk. */
const PERSIST_EVERY_MS = 5 * 60_000;

const ContactFile = Type.Object({ lastContactAt: IsoDateTime });
const contactFile = Compile(ContactFile);

/**
 * When the platform last answered this kiosk (a sync the host relayed got a non-error answer),
 * kept on disk so a restarted kiosk still knows how long it has been offline: staff mode warns
 * when that is too long (renderer/staff/offline-duration.ts). Read by the kiosk's own clock.
 */
export class PlatformContact {
  private persistedAt: number | null;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private last: Date | null,
  ) {
    this.persistedAt = last?.getTime() ?? null;
  }

  /** A missing or unreadable file means no contact is known: it never stops the kiosk from starting. */
  static async open(file: string): Promise<PlatformContact> {
    let last: Date | null = null;
    try {
      const value: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (contactFile.Check(value)) last = new Date(value.lastContactAt);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') console.error(`${file} could not be read; the last platform contact is unknown:`, error);
    }
    return new PlatformContact(file, last);
  }

  /** Resolves once every contact noted so far is on disk (or failed to be written). */
  written(): Promise<void> {
    return this.writing;
  }

  lastContactAt(): Date | null {
    return this.last;
  }

  /**
   * The platform answered now. The newest answer always wins, even when the clock reads earlier
   * than the stored time (someone set the clock back): it is the latest contact there was.
   */
  note(at: Date = new Date()): Promise<void> {
    this.last = at;
    if (this.persistedAt !== null && Math.abs(at.getTime() - this.persistedAt) < PERSIST_EVERY_MS) return this.writing;
    this.persistedAt = at.getTime();
    this.writing = this.writing
      .then(() => writeFileAtomic(this.file, `${JSON.stringify({ lastContactAt: at.toISOString() })}\n`))
      .catch((error: unknown) => {
        // Not fatal: the next contact writes again.
        this.persistedAt = null;
        console.error(`${this.file} could not be written:`, error);
      });
    return this.writing;
  }
}
