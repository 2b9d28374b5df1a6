import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageFiles, parseCoursePackage, type CoursePackage } from '../../../sync/protocol/course-package';
import { writeFileAtomic } from '../atomic-write';
import { CourseCacheError } from './cache-errors';
import { downloadVerifiedFile } from './download-verified-file';
import { fileFetch } from './file-fetch';
import { CourseImportError } from './import-errors';
import { sha256File } from './sha256-file';

export interface CachedCourse {
  manifest: CoursePackage;
  bytes: number;
  pinned: boolean;
  /** Set once every file is on disk and verified; only then are its files served. */
  complete: boolean;
  lastUsedAt: number;
}

interface CacheIndex {
  courses: Record<string, CachedCourse>;
}

export interface CacheProgress {
  courseId: string;
  receivedBytes: number;
  totalBytes: number;
}

export interface CourseCacheOptions {
  dir: string;
  budgetBytes: number;
  fetch?: typeof fetch;
  retries?: number;
  minRetryMs?: number;
  now?: () => number;
}

const INDEX_FILE = 'cache-index.json';
/**
 * Each course folder keeps its manifest beside its files, so a lost or truncated index can be
 * rebuilt from the disk. A lesson file name cannot start with a dot, so it never clashes.
 */
const MANIFEST_FILE = '.manifest.json';
/**
 * A course imported from a drive is copied here first, and replaces the cached course only once
 * every file checked: a refused or interrupted import leaves the previous version playable. Dot
 * names are never course ids, so neither the index rebuild nor the file server takes them.
 */
const STAGING_PREFIX = '.import-';
const REPLACED_PREFIX = '.replaced-';

export type ImportResult = 'imported' | 'unchanged';

function totalBytes(manifest: CoursePackage): number {
  return packageFiles(manifest).reduce((sum, f) => sum + f.bytes, 0);
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}

/**
 * The kiosk's course store: one folder per course under `dir`, an index of what is complete,
 * pinned and recently used, and a storage budget kept by evicting the least recently used
 * unpinned courses. Plain Node, so tests drive it without Electron.
 */
export class CourseCache {
  private index: CacheIndex = { courses: {} };
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly now: () => number;

  private constructor(private readonly options: CourseCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  static async open(options: CourseCacheOptions): Promise<CourseCache> {
    const cache = new CourseCache(options);
    await mkdir(options.dir, { recursive: true });
    let text: string | null = null;
    try {
      text = await readFile(join(options.dir, INDEX_FILE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    // An import cut off by a power cut or crash: its copy was never in the index, so drop it.
    for (const entry of await readdir(options.dir)) {
      if (entry.startsWith(STAGING_PREFIX) || entry.startsWith(REPLACED_PREFIX)) await rm(join(options.dir, entry), { recursive: true, force: true });
    }
    const index = text === null ? null : parseIndex(text);
    if (index) {
      cache.index = index;
    } else {
      // No index, or one cut short (a power cut on an older kiosk, a disk error): the courses on
      // disk are still there, so rebuild it from them rather than start empty and re-download.
      cache.index = await rebuildIndex(options.dir, cache.now());
      await cache.save();
    }
    return cache;
  }

  get dir(): string {
    return this.options.dir;
  }

  get budgetBytes(): number {
    return this.options.budgetBytes;
  }

  /** Every course in the index, complete or not, for the staff cache screen. */
  courseIds(): string[] {
    return Object.keys(this.index.courses);
  }

  isDownloading(courseId: string): boolean {
    return this.inFlight.has(courseId);
  }

  course(courseId: string): CachedCourse | undefined {
    return this.index.courses[courseId];
  }

  usedBytes(): number {
    return Object.values(this.index.courses).reduce((sum, c) => sum + c.bytes, 0);
  }

  /** Whether a served path may be read: only files of complete courses, never parts or the index. */
  isServable(relativePath: string): boolean {
    const [courseId, file, ...rest] = relativePath.replace(/^\/+/, '').split('/');
    if (!courseId || !file || rest.length > 0) return false;
    const course = this.index.courses[courseId];
    return !!course?.complete && packageFiles(course.manifest).some((f) => f.file === file);
  }

  async pin(courseId: string, pinned = true): Promise<void> {
    const course = this.index.courses[courseId];
    if (!course) throw new Error(`Course ${courseId} is not in the cache.`);
    course.pinned = pinned;
    await this.save();
  }

  async touch(courseId: string): Promise<void> {
    const course = this.index.courses[courseId];
    if (!course) return;
    course.lastUsedAt = this.now();
    await this.save();
  }

  /**
   * Makes every file of the package present and verified, downloading what is missing from
   * `<baseUrl>/<course id>/<file>`. Concurrent calls for one course share one download.
   */
  ensureCourse(manifest: CoursePackage, baseUrl: string, onProgress?: (p: CacheProgress) => void): Promise<void> {
    const running = this.inFlight.get(manifest.id);
    if (running) return running;
    const job = this.fetchCourse(parseCoursePackage(manifest), baseUrl, onProgress).finally(() => this.inFlight.delete(manifest.id));
    this.inFlight.set(manifest.id, job);
    return job;
  }

  private async fetchCourse(manifest: CoursePackage, baseUrl: string, onProgress?: (p: CacheProgress) => void): Promise<void> {
    const need = totalBytes(manifest);
    const previous = this.index.courses[manifest.id];
    await this.makeRoom(need - (previous?.bytes ?? 0), manifest.id);
    this.index.courses[manifest.id] = {
      manifest,
      bytes: need,
      pinned: previous?.pinned ?? false,
      complete: false,
      lastUsedAt: this.now(),
    };
    await this.save();
    const folder = join(this.options.dir, manifest.id);
    await mkdir(folder, { recursive: true });
    await writeFileAtomic(join(folder, MANIFEST_FILE), JSON.stringify(manifest), 0o644);
    const files = packageFiles(manifest);
    const done = new Map<string, number>();
    const report = () => onProgress?.({ courseId: manifest.id, receivedBytes: [...done.values()].reduce((a, b) => a + b, 0), totalBytes: need });
    for (const file of files) {
      const dest = join(folder, file.file);
      if (await this.alreadyVerified(dest, file.bytes, file.sha256)) {
        done.set(file.file, file.bytes);
        report();
        continue;
      }
      await downloadVerifiedFile({
        url: `${baseUrl.replace(/\/$/, '')}/${manifest.id}/${file.file}`,
        dest,
        expected: file,
        fetch: this.options.fetch,
        retries: this.options.retries,
        minRetryMs: this.options.minRetryMs,
        onBytes: (bytes) => {
          done.set(file.file, bytes);
          report();
        },
      });
      done.set(file.file, file.bytes);
      report();
    }
    const entry = this.index.courses[manifest.id];
    if (entry) entry.complete = true;
    await this.save();
    await this.removeStaleFiles(folder, new Set(files.map((f) => f.file)));
  }

  /**
   * Imports a course from a folder holding its files (a drive; the manifest's signature is
   * checked before this). Each file goes through downloadVerifiedFile, as a download does, into
   * a staging folder; the budget is checked before copying and room made only once all is
   * verified; then the staged folder replaces the course in one rename. On any refusal the
   * staging folder is removed and the cached version, if any, is untouched.
   */
  importCourse(manifest: CoursePackage, sourceDir: string, onProgress?: (p: CacheProgress) => void): Promise<ImportResult> {
    if (this.inFlight.has(manifest.id)) {
      return Promise.reject(new CourseImportError('busy', `Course ${manifest.id} is downloading or importing already; wait until it finishes.`));
    }
    const job = this.importFrom(parseCoursePackage(manifest), sourceDir, onProgress);
    const settled = job.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.set(manifest.id, settled);
    void settled.finally(() => this.inFlight.delete(manifest.id));
    return job;
  }

  private async importFrom(manifest: CoursePackage, sourceDir: string, onProgress?: (p: CacheProgress) => void): Promise<ImportResult> {
    const previous = this.index.courses[manifest.id];
    if (previous?.complete && previous.manifest.version > manifest.version) {
      throw new CourseImportError(
        'older-version',
        `This kiosk already has version ${previous.manifest.version} of course ${manifest.id}; the drive holds the older version ${manifest.version}.`,
      );
    }
    if (previous?.complete && previous.manifest.version === manifest.version) return 'unchanged';
    const need = totalBytes(manifest);
    this.checkRoom(need - (previous?.bytes ?? 0), manifest.id);
    const files = uniqueFiles(manifest);
    // Every file is looked for before any is copied, so a short copy is refused at once, by name.
    for (const file of files) {
      if ((await sizeOf(join(sourceDir, file.file))) === null) {
        throw new CourseImportError('missing-file', `${join(sourceDir, file.file)} is missing: course ${manifest.id} on this drive is incomplete; export it again.`);
      }
    }
    const staging = join(this.options.dir, `${STAGING_PREFIX}${manifest.id}`);
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    try {
      const done = new Map<string, number>();
      const report = () => onProgress?.({ courseId: manifest.id, receivedBytes: [...done.values()].reduce((a, b) => a + b, 0), totalBytes: need });
      for (const file of files) {
        const source = join(sourceDir, file.file);
        const url = pathToFileURL(source).href;
        try {
          await downloadVerifiedFile({
            url,
            dest: join(staging, file.file),
            expected: file,
            fetch: fileFetch,
            // A file on a drive reads the same on a second try; a wrong one stays wrong.
            retries: 0,
            onBytes: (bytes) => {
              done.set(file.file, bytes);
              report();
            },
          });
        } catch (error) {
          // The same checks as a download; staff read the drive's path, not a URL.
          if (error instanceof CourseCacheError) throw new CourseCacheError(error.code, error.message.split(url).join(source));
          throw error;
        }
        done.set(file.file, file.bytes);
        report();
      }
      await writeFileAtomic(join(staging, MANIFEST_FILE), JSON.stringify(manifest), 0o644);
      await this.makeRoom(need - (previous?.bytes ?? 0), manifest.id);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    // Out of the index first: a crash mid-swap leaves stray folders, never a course of mixed versions.
    this.index.courses = Object.fromEntries(Object.entries(this.index.courses).filter(([id]) => id !== manifest.id));
    await this.save();
    const folder = join(this.options.dir, manifest.id);
    const replaced = join(this.options.dir, `${REPLACED_PREFIX}${manifest.id}`);
    await rm(replaced, { recursive: true, force: true });
    if ((await sizeOf(folder)) !== null) await rename(folder, replaced);
    await rename(staging, folder);
    this.index.courses[manifest.id] = { manifest, bytes: need, pinned: previous?.pinned ?? false, complete: true, lastUsedAt: this.now() };
    await this.save();
    await rm(replaced, { recursive: true, force: true });
    return 'imported';
  }

  /** Refuses, before anything is copied, a course that would not fit even with every evictable course gone. */
  private checkRoom(extra: number, keep: string): void {
    const evictable = Object.entries(this.index.courses)
      .filter(([id, c]) => id !== keep && !c.pinned && !this.inFlight.has(id))
      .reduce((sum, [, c]) => sum + c.bytes, 0);
    if (this.usedBytes() - evictable + extra > this.options.budgetBytes) {
      throw new CourseCacheError(
        'over-budget',
        `Course ${keep} needs ${extra} more bytes than the ${this.options.budgetBytes}-byte budget leaves; unpin or remove a course, or raise the budget.`,
      );
    }
  }

  /** A new course version may drop files; left behind they would use budget nobody accounts for. */
  private async removeStaleFiles(folder: string, wanted: Set<string>): Promise<void> {
    for (const name of await readdir(folder)) {
      if (!wanted.has(name) && name !== MANIFEST_FILE) await rm(join(folder, name), { force: true });
    }
  }

  /** A file already in place is used only if it still matches; a corrupt one is removed and fetched again. */
  private async alreadyVerified(path: string, bytes: number, sha256: string): Promise<boolean> {
    const size = await sizeOf(path);
    if (size === null) return false;
    if (size === bytes && (await sha256File(path)) === sha256) return true;
    await rm(path, { force: true });
    return false;
  }

  /** Evicts least recently used, unpinned, other courses until `extra` bytes fit in the budget. */
  private async makeRoom(extra: number, keep: string): Promise<void> {
    const candidates = Object.entries(this.index.courses)
      // A course still downloading is about to be used: evicting it would waste the transfer.
      .filter(([id, c]) => id !== keep && !c.pinned && !this.inFlight.has(id))
      .sort(([, a], [, b]) => a.lastUsedAt - b.lastUsedAt);
    while (this.usedBytes() + extra > this.options.budgetBytes) {
      const next = candidates.shift();
      if (!next) {
        throw new CourseCacheError(
          'over-budget',
          `Course ${keep} needs ${extra} more bytes than the ${this.options.budgetBytes}-byte budget leaves; unpin a course or raise the budget.`,
        );
      }
      await this.evict(next[0]);
    }
  }

  async evict(courseId: string): Promise<void> {
    // Drop it from the index first: a crash mid-delete leaves stray files, never a half course that plays.
    this.index.courses = Object.fromEntries(Object.entries(this.index.courses).filter(([id]) => id !== courseId));
    await this.save();
    await rm(join(this.options.dir, courseId), { recursive: true, force: true });
  }

  private async save(): Promise<void> {
    await writeFileAtomic(join(this.options.dir, INDEX_FILE), JSON.stringify(this.index), 0o644);
  }
}

/** One entry per file name: two lessons may share a file (parseCoursePackage holds them equal). */
function uniqueFiles(manifest: CoursePackage) {
  return [...new Map(packageFiles(manifest).map((f) => [f.file, f])).values()];
}

function parseIndex(text: string): CacheIndex | null {
  try {
    const index = JSON.parse(text) as Partial<CacheIndex> | null;
    return index && typeof index.courses === 'object' && index.courses !== null ? (index as CacheIndex) : null;
  } catch {
    return null;
  }
}

/**
 * The index as the disk says it is: every course folder with a readable manifest, complete only
 * if every file is present and its SHA-256 matches (re-hashed, not trusted). Pins and last use
 * are lost with the index: courses come back unpinned, as if used now.
 */
async function rebuildIndex(dir: string, now: number): Promise<CacheIndex> {
  const index: CacheIndex = { courses: {} };
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    let manifest: CoursePackage;
    try {
      manifest = parseCoursePackage(JSON.parse(await readFile(join(dir, entry.name, MANIFEST_FILE), 'utf8')));
    } catch {
      continue; // not a course this cache wrote, or its manifest is damaged: nothing to trust
    }
    if (manifest.id !== entry.name) continue;
    let complete = true;
    for (const file of packageFiles(manifest)) {
      const path = join(dir, entry.name, file.file);
      if ((await sizeOf(path)) !== file.bytes || (await sha256File(path)) !== file.sha256) {
        complete = false;
        break;
      }
    }
    index.courses[manifest.id] = { manifest, bytes: totalBytes(manifest), pinned: false, complete, lastUsedAt: now };
  }
  return index;
}
