import { readdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * Where removable drives are mounted: desktop Linux (udisks2) mounts them under /media/$USER or
 * /run/media/$USER; a kiosk set up without a desktop mounts them under /media. Both USB record
 * bundles and course imports list drives from here, so staff see the same drives in both.
 */
export function removableDriveRoots(): string[] {
  let user = process.env.USER ?? '';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (a container): USER is as good as it gets.
  }
  return [...new Set([join('/media', user), join('/run/media', user), '/media'])];
}

/** The mounted drives under those roots, sorted; a root that is missing or unreadable offers none. */
export async function mountedDrives(roots: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const root of roots) {
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(root, entry.name);
      // /media holds the per-user folders too: those are roots, not drives.
      if (entry.isDirectory() && !entry.name.startsWith('.') && !roots.includes(path)) found.push(path);
    }
  }
  return found.sort();
}
