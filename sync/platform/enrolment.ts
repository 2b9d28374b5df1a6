import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import QRCode from 'qrcode';
import { ENROLMENT_CODE_PREFIX, type EnrolledKiosk, type NewKiosk } from '../protocol/enrolment';
import { withTransaction } from './database';
import { hashSecret, mintKioskCredential } from './kiosk-credential';

/** Codes are typed or scanned by an installer on site: a day is long enough, a week is not needed. */
const DEFAULT_CODE_TTL_HOURS = 24;

export interface EnrolmentCode {
  code: string;
  siteId: string;
  expiresAt: Date;
  /** The code as an SVG QR for the installer to scan with the kiosk camera. */
  qrSvg: string;
}

/** Why a code or an enrolment request did not enrol a kiosk; the status is what the HTTP API answers. */
export class EnrolmentRefused extends Error {
  constructor(
    readonly statusCode: 403 | 404 | 409 | 410,
    message: string,
  ) {
    super(message);
  }
}

export async function createEnrolmentCode(
  pool: pg.Pool,
  siteId: string,
  ttlHours = DEFAULT_CODE_TTL_HOURS,
  now = new Date(),
): Promise<EnrolmentCode> {
  // 80 bits in base32-like groups: short enough to type, far too many to guess before expiry.
  const code = randomBytes(10).toString('base64url').toUpperCase().replace(/[^A-Z0-9]/g, 'X');
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
  const { rowCount } = await pool.query(
    `insert into enrolment_codes (code_hash, site_id, expires_at) select $1, id, $3 from sites where id = $2`,
    [hashSecret(code), siteId, expiresAt],
  );
  if (!rowCount) throw new Error(`Site ${siteId} does not exist.`);
  const qrSvg = await QRCode.toString(`${ENROLMENT_CODE_PREFIX}${code}`, { type: 'svg', errorCorrectionLevel: 'M' });
  return { code, siteId, expiresAt, qrSvg };
}

/** Accepts the code as typed or as scanned from its QR. */
function normaliseCode(input: string): string {
  const trimmed = input.trim();
  return (trimmed.startsWith(ENROLMENT_CODE_PREFIX) ? trimmed.slice(ENROLMENT_CODE_PREFIX.length) : trimmed).toUpperCase();
}

/**
 * Spends a code on a new kiosk. The row is locked so two kiosks racing with one code cannot
 * both enrol; the credential is returned this once and only its hash is stored.
 */
export async function enrolKiosk(pool: pg.Pool, rawCode: string, kiosk: NewKiosk, now = new Date()): Promise<EnrolledKiosk> {
  const codeHash = hashSecret(normaliseCode(rawCode));
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ site_id: string; expires_at: Date; used_at: Date | null }>(
      'select site_id, expires_at, used_at from enrolment_codes where code_hash = $1 for update',
      [codeHash],
    );
    const row = rows[0];
    if (!row) throw new EnrolmentRefused(404, 'This enrolment code is not known. Check it, or ask the platform for a new one.');
    if (row.used_at) throw new EnrolmentRefused(409, 'This enrolment code has already been used. Ask the platform for a new one.');
    if (row.expires_at.getTime() <= now.getTime()) {
      throw new EnrolmentRefused(410, 'This enrolment code has expired. Ask the platform for a new one.');
    }
    const enrolled = await createKiosk(client, row.site_id, kiosk);
    await client.query('update enrolment_codes set used_at = $2, kiosk_id = $3 where code_hash = $1', [codeHash, now, enrolled.kioskId]);
    return enrolled;
  });
}

/** Registers a kiosk and mints its credential, which is returned this once: only its hash is stored. */
export async function createKiosk(client: pg.ClientBase, siteId: string, kiosk: NewKiosk): Promise<EnrolledKiosk> {
  const kioskId = `KIOSK-${randomUUID()}`;
  const { credential, tokenHash } = mintKioskCredential(kioskId);
  const bundleKey = kiosk.bundlePublicKey ?? null;
  await client.query(
    `insert into kiosks (id, site_id, name, token_hash, bundle_public_key, bundle_key_registered_at)
     values ($1, $2, $3, $4, $5, case when $5::text is null then null else now() end)`,
    [kioskId, siteId, kiosk.kioskName, tokenHash, bundleKey],
  );
  return { kioskId, siteId, credential };
}

/** A revoked kiosk keeps its records; kiosk-auth answers its next sync request with 403. */
export async function revokeKiosk(pool: pg.Pool, kioskId: string): Promise<void> {
  const { rowCount } = await pool.query(`update kiosks set status = 'revoked' where id = $1`, [kioskId]);
  if (!rowCount) throw new Error(`Kiosk ${kioskId} does not exist.`);
}
