import { readdir, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { mountedDrives, removableDriveRoots } from './removable-drives';
import { RECORD_BUNDLE_FILE_PATTERN, recordBundleFileName, recordReceiptFileName } from '../../sync/protocol/record-bundle';
import type { UsbFolder } from '../../sync/protocol/kiosk-usb-api';

/*
 * Where a kiosk may write or read bundles: the mounted removable drives (removable-drives.ts) and
 * the export folders the operator set up (YUEXUE_EXPORT_FOLDER, or the host option). Staff pick
 * from this list; a path the renderer sends is used only when it is on it.
 */

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
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
  /** Where drives are mounted; removableDriveRoots() unless a test says otherwise. */
  removableDriveRoots?: string[];
}

export async function listUsbFolders(options: UsbFolderOptions, kioskId: string | null): Promise<UsbFolder[]> {
  const drives = await mountedDrives(options.removableDriveRoots ?? removableDriveRoots());
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
