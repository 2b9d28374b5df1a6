import * as ed from '@noble/ed25519';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { fromBase64Url, toBase64Url } from './base64url';
import { Code, IsoDateTime } from './common';
import { CoursePackageError, parseCoursePackage, type CoursePackage } from './course-package';

/**
 * Course packages carried on a drive (`platform:admin courses export`, imported in staff mode):
 *
 *   <export>/yuexue-courses.json      the export's index, written last (CourseExportIndex)
 *   <export>/<course id>/_manifest.json   the manifest, signed by the platform (SignedCourseManifest)
 *   <export>/<course id>/<file>       every package file, exactly as /content/<course id>/<file>
 *
 * An export being written holds `yuexue-courses.partial` and no index, so a drive pulled out
 * mid-export is recognisably unfinished rather than short of a file. A lesson file name cannot
 * start with "_" (course-package.ts FileName), so the manifest never clashes with one.
 *
 * The kiosk trusts a manifest on a drive only with the platform's signature: the key is one of
 * the platform's issuer keys (the keys kiosks already hold to check learner cards), and the
 * signed bytes start with a purpose prefix so a manifest signature can never pass as a card.
 */
export const COURSE_EXPORT_FORMAT = 1;
export const COURSE_EXPORT_INDEX_FILE = 'yuexue-courses.json';
export const COURSE_EXPORT_PARTIAL_FILE = 'yuexue-courses.partial';
export const SIGNED_MANIFEST_FILE = '_manifest.json';
const SIGNATURE_PURPOSE = 'yuexue-course-manifest-v1\n';

export const SignedCourseManifest = Type.Object(
  {
    format: Type.Literal(COURSE_EXPORT_FORMAT),
    keyId: Code,
    /** Ed25519 over the purpose prefix and `manifest`'s UTF-8 bytes, base64url. */
    signature: Type.String({ pattern: '^[A-Za-z0-9_-]{86}$' }),
    /** The manifest's JSON text, exactly as signed (re-serialising could change its bytes). */
    manifest: Type.String({ minLength: 2, maxLength: 1_000_000 }),
  },
  { additionalProperties: false },
);
export type SignedCourseManifest = Static<typeof SignedCourseManifest>;

export const CourseExportEntry = Type.Object(
  {
    id: Code,
    version: Type.Integer({ minimum: 1 }),
    /** The course's folder, relative to the export. */
    folder: Code,
    totalBytes: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type CourseExportEntry = Static<typeof CourseExportEntry>;

export const CourseExportIndex = Type.Object(
  {
    format: Type.Literal(COURSE_EXPORT_FORMAT),
    exportedAt: IsoDateTime,
    courses: Type.Array(CourseExportEntry, { maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type CourseExportIndex = Static<typeof CourseExportIndex>;

const signedValidator = Compile(SignedCourseManifest);
const indexValidator = Compile(CourseExportIndex);

export class CourseExportError extends Error {}

function signedBytes(manifestText: string): Uint8Array {
  return new TextEncoder().encode(SIGNATURE_PURPOSE + manifestText);
}

export async function signCourseManifest(manifest: CoursePackage, keyId: string, secretKey: Uint8Array): Promise<SignedCourseManifest> {
  const text = JSON.stringify(manifest);
  return { format: COURSE_EXPORT_FORMAT, keyId, signature: toBase64Url(await ed.signAsync(signedBytes(text), secretKey)), manifest: text };
}

/** A key the kiosk holds; a retired one no longer vouches for anything. */
export interface TrustedKey {
  id: string;
  publicKey: string;
  status: 'active' | 'verify-only' | 'retired';
}

/**
 * The manifest inside a signed envelope, once its signature checks against a key the kiosk
 * holds; otherwise a CourseExportError whose message names `source` and says what to do.
 */
export async function verifySignedCourseManifest(value: unknown, keys: TrustedKey[], source: string): Promise<CoursePackage> {
  if (!signedValidator.Check(value)) throw new CourseExportError(`${source} is not a signed course manifest; export the course again.`);
  const key = keys.find((k) => k.id === value.keyId);
  if (!key) {
    throw new CourseExportError(
      keys.length === 0
        ? `${source} cannot be checked: this kiosk holds no platform keys yet. Connect it to the platform once, then import again.`
        : `${source} is signed with key "${value.keyId}", which this kiosk does not know; export it again from this kiosk's platform.`,
    );
  }
  if (key.status === 'retired') throw new CourseExportError(`${source} is signed with key "${key.id}", which the platform has retired; export it again.`);
  let valid: boolean;
  try {
    valid = await ed.verifyAsync(fromBase64Url(value.signature), signedBytes(value.manifest), fromBase64Url(key.publicKey));
  } catch {
    valid = false;
  }
  if (!valid) throw new CourseExportError(`${source} does not carry the platform's signature (it was changed or not made by the platform); do not use this copy.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.manifest);
  } catch {
    throw new CourseExportError(`${source} holds a manifest that is not JSON.`);
  }
  try {
    return parseCoursePackage(parsed, source);
  } catch (error) {
    if (error instanceof CoursePackageError) throw new CourseExportError(error.message);
    throw error;
  }
}

export function parseCourseExportIndex(value: unknown, source: string): CourseExportIndex {
  if (!indexValidator.Check(value)) throw new CourseExportError(`${source} is not a course export index; export the courses again.`);
  return value;
}
