import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MAX_BUNDLE_BYTES, recordReceiptFileName, recordSyncSummary } from '../../protocol/record-bundle';
import type { BundleImport } from '../record-bundles';

/** Reads a bundle file for the CLI, with a message that names it when it cannot. */
export async function readBundleFile(path: string): Promise<Uint8Array> {
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_BUNDLE_BYTES) throw new Error(`it is ${bytes.length} bytes, more than any bundle`);
    return new Uint8Array(bytes);
  } catch (error) {
    throw new Error(`${path} cannot be read: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Writes the receipt where the operator said, or beside the bundle (on the same drive, under the
 * name the kiosk looks for), and says what was stored.
 */
export async function writeReceiptAndReport(bundlePath: string, receiptPath: string | undefined, imported: Pick<BundleImport, 'kioskId' | 'bundleSeq' | 'recordCount' | 'receipt' | 'receiptRecords'>): Promise<void> {
  const out = receiptPath ?? join(dirname(bundlePath), recordReceiptFileName(imported.kioskId));
  await writeFile(out, imported.receipt);
  const states = recordSyncSummary(imported.receiptRecords);
  console.log(`Bundle ${imported.bundleSeq} of kiosk ${imported.kioskId}: ${imported.recordCount} record(s) imported (stored ${states.received}, held for review ${states.held}, refused ${states.refused}).`);
  console.log(`Receipt written to ${out}: load it on the kiosk (staff mode, USB, Load receipt).`);
}
