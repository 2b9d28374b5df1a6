import * as ed from '@noble/ed25519';
import { fromBase64Url, toBase64Url } from './base64url';

/**
 * Learner card, format version 1. The QR code holds `YX:` + base64url of:
 *
 *   u8  version (1)
 *   u32 serial             card serial, unique per card; revocations name it
 *   u32 issuedAt           unix seconds
 *   u32 expiresAt          unix seconds
 *   u8+ issuer key id      length-prefixed ASCII
 *   u8+ learner id         length-prefixed ASCII (the learner number printed on the card)
 *   u8+ display name       length-prefixed UTF-8
 *   64  Ed25519 signature  over every byte before it
 *
 * About 110 bytes for a Chinese name: a version-7 QR code at level M, readable at 3 cm, and short
 * enough for a USB keyboard-wedge scanner to type in well under a second.
 */
export const CARD_PREFIX = 'YX:';
export const CARD_FORMAT_VERSION = 1;
const SIGNATURE_BYTES = 64;
const MAX_FIELD_BYTES = 64;

export interface LearnerCard {
  serial: number;
  issuedAt: Date;
  expiresAt: Date;
  issuerKeyId: string;
  learnerId: string;
  displayName: string;
}

export type CardRejection =
  | 'unreadable'
  | 'unsupported-version'
  | 'unknown-issuer'
  | 'retired-issuer'
  | 'forged'
  | 'not-yet-valid'
  | 'expired'
  | 'revoked';

export type CardVerdict = { ok: true; card: LearnerCard } | { ok: false; reason: CardRejection; card?: LearnerCard };

export interface TrustedIssuerKey {
  id: string;
  /** base64url of the 32-byte Ed25519 public key */
  publicKey: string;
  status: 'active' | 'verify-only' | 'retired';
}

export interface VerificationContext {
  issuerKeys: readonly TrustedIssuerKey[];
  isRevoked: (serial: number) => boolean;
  now: Date;
  /** Kiosk clocks drift: accept cards issued a little "in the future". */
  clockSkewSeconds?: number;
}

class CardReader {
  private offset = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u8(): number {
    this.need(1);
    return this.view.getUint8(this.offset++);
  }
  u32(): number {
    this.need(4);
    const value = this.view.getUint32(this.offset);
    this.offset += 4;
    return value;
  }
  text(): string {
    const length = this.u8();
    this.need(length);
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return new TextDecoder('utf-8', { fatal: true }).decode(slice);
  }
  get position(): number {
    return this.offset;
  }
  private need(n: number): void {
    if (this.offset + n > this.bytes.length) throw new Error('card payload truncated');
  }
}

function encodeFields(card: LearnerCard): Uint8Array {
  const encoder = new TextEncoder();
  const texts = [card.issuerKeyId, card.learnerId, card.displayName].map((t) => encoder.encode(t));
  for (const t of texts) {
    if (t.length === 0 || t.length > MAX_FIELD_BYTES) throw new Error('card field empty or too long');
  }
  const out = new Uint8Array(13 + texts.reduce((n, t) => n + 1 + t.length, 0));
  const view = new DataView(out.buffer);
  view.setUint8(0, CARD_FORMAT_VERSION);
  view.setUint32(1, card.serial);
  view.setUint32(5, Math.floor(card.issuedAt.getTime() / 1000));
  view.setUint32(9, Math.floor(card.expiresAt.getTime() / 1000));
  let offset = 13;
  for (const t of texts) {
    out[offset++] = t.length;
    out.set(t, offset);
    offset += t.length;
  }
  return out;
}

/** Signs a card with the issuer's 32-byte Ed25519 secret key; returns the QR text. */
export async function issueLearnerCard(card: LearnerCard, secretKey: Uint8Array): Promise<string> {
  const body = encodeFields(card);
  const signature = await ed.signAsync(body, secretKey);
  const all = new Uint8Array(body.length + SIGNATURE_BYTES);
  all.set(body);
  all.set(signature, body.length);
  return CARD_PREFIX + toBase64Url(all);
}

/** Parses without checking the signature; null when the text is not a learner card at all. */
export function parseLearnerCard(text: string): { card: LearnerCard; body: Uint8Array; signature: Uint8Array } | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith(CARD_PREFIX)) return null;
  try {
    const bytes = fromBase64Url(trimmed.slice(CARD_PREFIX.length));
    const reader = new CardReader(bytes);
    const version = reader.u8();
    if (version !== CARD_FORMAT_VERSION) {
      throw new UnsupportedCardVersion(version);
    }
    const serial = reader.u32();
    const issuedAt = new Date(reader.u32() * 1000);
    const expiresAt = new Date(reader.u32() * 1000);
    const issuerKeyId = reader.text();
    const learnerId = reader.text();
    const displayName = reader.text();
    const bodyLength = reader.position;
    if (bytes.length !== bodyLength + SIGNATURE_BYTES) return null;
    return {
      card: { serial, issuedAt, expiresAt, issuerKeyId, learnerId, displayName },
      body: bytes.subarray(0, bodyLength),
      signature: bytes.subarray(bodyLength),
    };
  } catch (error) {
    if (error instanceof UnsupportedCardVersion) throw error;
    return null;
  }
}

export class UnsupportedCardVersion extends Error {
  constructor(readonly version: number) {
    super(`learner card format version ${version} is not supported`);
  }
}

/** Everything a kiosk decides about a card, offline: signature, issuer, validity window, revocation. */
export async function verifyLearnerCard(text: string, context: VerificationContext): Promise<CardVerdict> {
  let parsed;
  try {
    parsed = parseLearnerCard(text);
  } catch (error) {
    if (error instanceof UnsupportedCardVersion) return { ok: false, reason: 'unsupported-version' };
    throw error;
  }
  if (!parsed) return { ok: false, reason: 'unreadable' };
  const { card, body, signature } = parsed;
  const key = context.issuerKeys.find((k) => k.id === card.issuerKeyId);
  if (!key) return { ok: false, reason: 'unknown-issuer', card };
  let valid: boolean;
  try {
    valid = await ed.verifyAsync(signature, body, fromBase64Url(key.publicKey));
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: 'forged' };
  if (key.status === 'retired') return { ok: false, reason: 'retired-issuer', card };
  const skewMs = (context.clockSkewSeconds ?? 600) * 1000;
  if (card.issuedAt.getTime() - skewMs > context.now.getTime()) return { ok: false, reason: 'not-yet-valid', card };
  if (card.expiresAt.getTime() <= context.now.getTime()) return { ok: false, reason: 'expired', card };
  if (context.isRevoked(card.serial)) return { ok: false, reason: 'revoked', card };
  return { ok: true, card };
}

export async function generateIssuerKeyPair(): Promise<{ secretKey: Uint8Array; publicKey: string }> {
  const secretKey = ed.utils.randomSecretKey();
  const publicKey = toBase64Url(await ed.getPublicKeyAsync(secretKey));
  return { secretKey, publicKey };
}
