/**
 * What a process's resident memory is made of, from Linux's /proc/<pid>/smaps_rollup (one
 * summary of every mapping). RSS alone cannot tell memory the program holds from pages of
 * mapped files (the node binary, shared libraries) the kernel keeps resident or drops as it
 * likes; the anonymous part is what the process itself allocated (V8's heap spaces, malloc's
 * arenas, thread stacks).
 */

export interface RssComposition {
  /** Resident set, bytes. */
  rssBytes: number;
  /** Resident pages not backed by a file (heap, malloc, stacks), bytes. */
  anonymousBytes: number;
  /** Resident pages of mapped files, bytes (RSS less the anonymous part). */
  fileBytes: number;
}

/** Parses smaps_rollup text ("Rss:   1740 kB" lines); throws when the fields it needs are missing. */
export function parseSmapsRollup(text: string): RssComposition {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+) kB$/.exec(line.trim());
    if (match) fields.set(match[1]!, Number(match[2]) * 1024);
  }
  const rssBytes = fields.get('Rss');
  const anonymousBytes = fields.get('Anonymous');
  if (rssBytes === undefined || anonymousBytes === undefined) throw new Error('smaps_rollup has no Rss or Anonymous line.');
  return { rssBytes, anonymousBytes, fileBytes: rssBytes - anonymousBytes };
}
