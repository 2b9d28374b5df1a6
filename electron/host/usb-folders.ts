import { readdir, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { RECORD_BUNDLE_FILE_PATTERN, recordBundleFileName, recordReceiptFileName } from '../../sync/protocol/record-bundle';
import type { UsbFolder } from '../../sync/protocol/kiosk-usb-api';

/**
 * Where a kiosk may write or read bundles: the mount points of removable drives (Linux desktops
 * mount them under /media/$USER or /run/media/$USER; a kiosk set up without a desktop under
 * /media) and the export folders the operator set up (YUEXUE_EXPORT_FOLDER, or the host option).
 * Staff pick from this list; a path the renderer sends is used only when it is on it.
 */
export function driveRoots(): string[] {
  let user = process.env.USER ?? '';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (a container): USER is as good as it gets.
  }
  return [...new Set([`/media/${user}`, `/run/media/${user}`, '/media'])];
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

async function mountedDrives(roots: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const root of roots) {
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(root, entry.name);
      // /media holds the per-user folders too: those are roots, not drives.
      if (entry.isDirectory() && !roots.includes(path)) found.push(path);
    }
  }
  return found;
}

async function describe(path: string, kind: UsbFolder['kind'], kioskId: string | null): Promise<UsbFolder> {
  const names = await readdir(path).catch(() => [] as string[]);
  const own = kioskId ? recordBundleFileName(kioskId) : null;
  return {
    path,
    name: basename(path) || path,
    kind,
    hasBundle: own !== null && names.includes(own),
    hasReceipt: kioskId !== null && names.includes(recordReceiptFileName(kioskId)),
    otherBundles: names.filter((n) => RECORD_BUNDLE_FILE_PATTERN.test(n) && n !== own).length,
  };
}

export interface UsbFolderOptions {
  /** Folders for exports besides drives (the operator's, or a test's). */
  exportFolders: string[];
  /** Where drives are mounted; driveRoots() unless a test says otherwise. */
  driveRoots?: string[];
}

export async function listUsbFolders(options: UsbFolderOptions, kioskId: string | null): Promise<UsbFolder[]> {
  const drives = await mountedDrives(options.driveRoots ?? driveRoots());
  const folders = [];
  for (const path of options.exportFolders.map((f) => resolve(f))) if (await isFolder(path)) folders.push(path);
  return Promise.all([...drives.map((d) => describe(d, 'drive', kioskId)), ...folders.map((f) => describe(f, 'folder', kioskId))]);
}

/** The listed folder a renderer named, or null: the host writes nowhere else. */
export async function listedFolder(options: UsbFolderOptions, path: string): Promise<string | null> {
  const listed = await listUsbFolders(options, null);
  return listed.find((f) => f.path === path)?.path ?? null;
}

/** Export folders from the environment (colon-separated, like PATH). */
export function exportFoldersFromEnvironment(): string[] {
  return (process.env.YUEXUE_EXPORT_FOLDER ?? '').split(':').filter(Boolean);
}
