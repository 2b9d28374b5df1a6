import type pg from 'pg';
import { fromBase64Url, toBase64Url } from '../protocol/base64url';
import { generateIssuerKeyPair, issueLearnerCard } from '../protocol/learner-card';

/** Cards are valid for three years; a lost card is revoked, not waited out. */
const CARD_VALIDITY_DAYS = 3 * 365;

export async function createIssuerKey(client: pg.ClientBase, id: string): Promise<void> {
  const { secretKey, publicKey } = await generateIssuerKeyPair();
  await client.query(
    `insert into issuer_keys (id, public_key, secret_key, status, server_seq) values ($1, $2, $3, 'active', next_sync_seq())`,
    [id, publicKey, toBase64Url(secretKey)],
  );
}

/**
 * A fresh platform has no signing key until it first issues cards; it makes one then, named by
 * year so a later rotation ("gd-2027a") reads naturally in the kiosks' key list.
 */
export async function ensureActiveIssuerKey(client: pg.ClientBase, now = new Date()): Promise<void> {
  const { rows } = await client.query(`select 1 from issuer_keys where status = 'active' limit 1`);
  if (rows.length === 0) await createIssuerKey(client, `gd-${now.getUTCFullYear()}a`);
}

/**
 * Signs a new card for a learner with the active issuer key and records it; returns the QR text.
 * Runs inside withSyncWrite: it takes sync sequence numbers.
 */
export async function issueCardFor(client: pg.ClientBase, learnerId: string, now = new Date()): Promise<{ serial: number; text: string; expiresAt: Date }> {
  const { rows: keys } = await client.query<{ id: string; secret_key: string }>(
    `select id, secret_key from issuer_keys where status = 'active' order by created_at desc limit 1`,
  );
  const key = keys[0];
  if (!key) throw new Error('No active issuer key: create one before issuing cards.');
  const { rows: learners } = await client.query<{ display_name: string }>('select display_name from learners where id = $1', [learnerId]);
  const learner = learners[0];
  if (!learner) throw new Error(`Learner ${learnerId} does not exist.`);
  const { rows: serials } = await client.query<{ serial: string }>(`select nextval('learner_card_serial') as serial`);
  const serial = Number(serials[0]?.serial);
  const issuedAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const expiresAt = new Date(issuedAt.getTime() + CARD_VALIDITY_DAYS * 86_400_000);
  const text = await issueLearnerCard(
    { serial, issuedAt, expiresAt, issuerKeyId: key.id, learnerId, displayName: learner.display_name },
    fromBase64Url(key.secret_key),
  );
  await client.query(
    'insert into learner_cards (serial, learner_id, issuer_key_id, issued_at, expires_at, card_text) values ($1, $2, $3, $4, $5, $6)',
    [serial, learnerId, key.id, issuedAt, expiresAt, text],
  );
  // The learner's kiosks pull the new card with the next directory sync.
  await client.query(`update learners set server_seq = next_sync_seq() where id = $1`, [learnerId]);
  return { serial, text, expiresAt };
}

/**
 * The platform's active signing key, for what kiosks verify offline besides cards (record
 * receipts): kiosks already hold its public half from the issuer key pull. Made if there is none.
 */
export async function activeIssuerSigningKey(client: pg.ClientBase): Promise<{ id: string; secretKey: Uint8Array }> {
  await ensureActiveIssuerKey(client);
  const { rows } = await client.query<{ id: string; secret_key: string }>(
    `select id, secret_key from issuer_keys where status = 'active' order by created_at desc limit 1`,
  );
  const key = rows[0];
  if (!key) throw new Error('No active issuer key.');
  return { id: key.id, secretKey: fromBase64Url(key.secret_key) };
}
