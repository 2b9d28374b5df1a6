import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { fromBase64Url } from '../../sync/protocol/base64url';
import { BundlePublicKey, generateBundleKeyPair } from '../../sync/protocol/record-bundle';
import { writeFileAtomic } from './atomic-write';

/** The kiosk's record bundle key pair, in its data folder, readable by the kiosk's user alone. */
export const BUNDLE_KEY_FILE = 'bundle-key.json';
/** The number of the last bundle written, so each export gets the next one. */
export const BUNDLE_SEQ_FILE = 'bundle-seq.json';

const KeyFile = Type.Object({ publicKey: BundlePublicKey, secretKey: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }) }, { additionalProperties: false });
const keyFileCheck = Compile(KeyFile);
const SeqFile = Type.Object({ lastBundleSeq: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });
const seqFileCheck = Compile(SeqFile);

async function readJson(path: string): Promise<unknown | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${path} cannot be read: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The key that vouches for this kiosk's record bundles. Made the first time the host starts in a
 * data folder (so before enrolment on a new kiosk, and on the first start after an upgrade on an
 * enrolled one) and never replaced: the platform keeps the first key a kiosk registers. Only the
 * public half leaves the host, with every relayed sync, until the platform has it.
 */
export class KioskBundleKey {
  private constructor(
    private readonly folder: string,
    readonly publicKey: string,
    private readonly secretKey: string,
  ) {}

  static async open(folder: string): Promise<KioskBundleKey> {
    const path = join(folder, BUNDLE_KEY_FILE);
    const stored = await readJson(path);
    if (stored !== null) {
      if (!keyFileCheck.Check(stored)) throw new Error(`${path} is not a bundle key file; move it aside only if this kiosk will be enrolled again.`);
      return new KioskBundleKey(folder, stored.publicKey, stored.secretKey);
    }
    const made = await generateBundleKeyPair();
    // The data folder may not exist yet on a new kiosk: the journal makes it only on its first write.
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await writeFileAtomic(path, `${JSON.stringify(made)}\n`);
    return new KioskBundleKey(folder, made.publicKey, made.secretKey);
  }

  secretKeyBytes(): Uint8Array {
    return fromBase64Url(this.secretKey);
  }

  /** The next bundle number, written down before the bundle is, so no number is ever given twice. */
  async nextBundleSeq(): Promise<number> {
    const path = join(this.folder, BUNDLE_SEQ_FILE);
    const stored = await readJson(path);
    const last = stored !== null && seqFileCheck.Check(stored) ? stored.lastBundleSeq : 0;
    const next = last + 1;
    await writeFileAtomic(path, `${JSON.stringify({ lastBundleSeq: next })}\n`);
    return next;
  }
}
