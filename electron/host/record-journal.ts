import { open, readFile } from 'node:fs/promises';
import { Compile } from 'typebox/compile';
import { JournalEntry } from '../../sync/protocol/kiosk-host-api';
import { writeFileAtomic } from './atomic-write';

/** The journal's file in the kiosk data folder. */
export const JOURNAL_FILE = 'record-journal.jsonl';

/** One line of the journal: a record as the kiosk created it, or the platform's receipt of some. */
type JournalLine = { at: string; entry: JournalEntry } | { at: string; confirmed: Confirmation[] };

/** The platform holds the record `id` as it was at `deviceTime` (the kiosk saw its receivedAt). */
export interface Confirmation {
  id: string;
  deviceTime: string;
}

const entryValidator = Compile(JournalEntry);
/** Lines beyond what still waits before the file is rewritten: a kiosk may run for months unrestarted. */
const SLACK_LINES = 1000;

function parseLine(text: string): JournalLine | null {
  try {
    const line = JSON.parse(text) as Partial<{ at: unknown; entry: unknown; confirmed: unknown }>;
    if (typeof line.at !== 'string') return null;
    if (entryValidator.Check(line.entry)) return { at: line.at, entry: line.entry };
    if (Array.isArray(line.confirmed)) return { at: line.at, confirmed: line.confirmed as Confirmation[] };
    return null;
  } catch {
    return null;
  }
}

/**
 * The host's own copy of every record the kiosk creates (attendance, lesson progress), outside
 * the browser profile: an append-only file of JSON lines, each flushed to disk before the
 * renderer is told it is kept. A record stays "waiting" until the renderer reports that the
 * platform has it; at start, and whenever it holds many more lines than waiting records, the file
 * is rewritten with only the waiting ones, so it grows with what is unsynced, not with the kiosk's
 * whole history (lesson progress is saved every few seconds of playing). A line cut short by a power cut is
 * the last one and never acknowledged: it is skipped.
 */
export class RecordJournal {
  /** The latest state of each record the platform has not confirmed yet, by record id. */
  private readonly waiting = new Map<string, JournalEntry>();
  private appending: Promise<unknown> = Promise.resolve();
  private linesInFile = 0;

  private constructor(readonly path: string) {}

  static async open(path: string): Promise<RecordJournal> {
    const journal = new RecordJournal(path);
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    for (const raw of lines) {
      const line = parseLine(raw);
      if (!line) continue;
      if ('entry' in line) journal.waiting.set(line.entry.record.id, line.entry);
      else journal.forgetConfirmed(line.confirmed);
    }
    journal.linesInFile = lines.length;
    if (lines.length > journal.waiting.size) await journal.compact();
    return journal;
  }

  private forgetConfirmed(confirmed: Confirmation[]): void {
    for (const { id, deviceTime } of confirmed) {
      const entry = this.waiting.get(id);
      // A later position of the same lesson, journaled after the one the platform has, still waits.
      if (entry && Date.parse(entry.record.deviceTime) <= Date.parse(deviceTime)) this.waiting.delete(id);
    }
  }

  private async compact(): Promise<void> {
    const at = new Date().toISOString();
    const text = [...this.waiting.values()].map((entry) => `${JSON.stringify({ at, entry })}\n`).join('');
    await writeFileAtomic(this.path, text);
    this.linesInFile = this.waiting.size;
  }

  /** Appends and flushes lines one call at a time, so two records never interleave in the file. */
  private appendLine(line: JournalLine): Promise<void> {
    const run = this.appending.then(async () => {
      const handle = await open(this.path, 'a', 0o600);
      try {
        await handle.write(`${JSON.stringify(line)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.linesInFile += 1;
    });
    this.appending = run.catch(() => undefined);
    return run;
  }

  /** Resolves once the record is on disk. */
  async append(entry: JournalEntry): Promise<string> {
    const at = new Date().toISOString();
    await this.appendLine({ at, entry });
    this.waiting.set(entry.record.id, entry);
    return at;
  }

  async confirm(confirmed: Confirmation[]): Promise<void> {
    const known = confirmed.filter((c) => this.waiting.has(c.id));
    if (known.length === 0) return;
    await this.appendLine({ at: new Date().toISOString(), confirmed: known });
    this.forgetConfirmed(known);
    if (this.linesInFile > this.waiting.size + SLACK_LINES) {
      // In the append queue, so no record is appended to the old file while it is replaced.
      const run = this.appending.then(() => this.compact());
      this.appending = run.catch(() => undefined);
      await run;
    }
  }

  /** How many records wait for the platform, whichever enrolment made them. */
  waitingCount(): number {
    return this.waiting.size;
  }

  /**
   * The waiting records the kiosk `kioskId` at `siteId` may send: those of its site, carried over
   * from an earlier enrolment by naming the kiosk in force (their ids come from session and
   * learner, or learner and lesson, never from the kiosk, so the platform still keeps one of
   * each). Records of another site stay in the journal: this kiosk may not send them.
   */
  waitingFor(kioskId: string, siteId: string): JournalEntry[] {
    return [...this.waiting.values()]
      .filter((e) => e.record.siteId === siteId)
      .map((e) => ({ ...e, record: { ...e.record, kioskId } }) as JournalEntry);
  }
}
