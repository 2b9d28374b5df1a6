import { beforeAll, describe, expect, it } from 'vitest';
import {
  CARD_PREFIX,
  generateIssuerKeyPair,
  issueLearnerCard,
  verifyLearnerCard,
  type LearnerCard,
  type TrustedIssuerKey,
  type VerificationContext,
} from '../../sync/protocol/learner-card';
import { fromBase64Url, toBase64Url } from '../../sync/protocol/base64url';

const NOW = new Date('2026-11-23T06:00:00Z');
const DAY_MS = 86_400_000;

let oldKey: { secretKey: Uint8Array; publicKey: string };
let newKey: { secretKey: Uint8Array; publicKey: string };

beforeAll(async () => {
  [oldKey, newKey] = await Promise.all([generateIssuerKeyPair(), generateIssuerKeyPair()]);
});

function card(overrides: Partial<LearnerCard> = {}): LearnerCard {
  return {
    serial: 1001,
    issuedAt: new Date(NOW.getTime() - 30 * DAY_MS),
    expiresAt: new Date(NOW.getTime() + 365 * DAY_MS),
    issuerKeyId: 'gd-2026a',
    learnerId: 'GD2026000101',
    displayName: '陈秀英',
    ...overrides,
  };
}

function context(keys: TrustedIssuerKey[], overrides: Partial<VerificationContext> = {}): VerificationContext {
  return { issuerKeys: keys, isRevoked: () => false, now: NOW, ...overrides };
}

const activeOld = (): TrustedIssuerKey => ({ id: 'gd-2026a', publicKey: oldKey.publicKey, status: 'active' });

/** Rewrites the card's payload bytes, keeping the prefix, as a forger or a bad print would. */
function withBytes(text: string, change: (bytes: Uint8Array) => void): string {
  const bytes = fromBase64Url(text.slice(CARD_PREFIX.length));
  change(bytes);
  return CARD_PREFIX + toBase64Url(bytes);
}

describe('learner card verification', () => {
  it('accepts a valid card and returns what is printed on it', async () => {
    const text = await issueLearnerCard(card(), oldKey.secretKey);
    const verdict = await verifyLearnerCard(text, context([activeOld()]));
    expect(verdict).toEqual({ ok: true, card: card() });
  });

  it('calls a card with one changed byte forged', async () => {
    const text = await issueLearnerCard(card(), oldKey.secretKey);
    // The learner id's last digit: the card now claims to be a different learner.
    const tampered = withBytes(text, (bytes) => {
      const index = new TextDecoder().decode(bytes).indexOf('GD2026000101') + 11;
      bytes[index] = '2'.charCodeAt(0);
    });
    const verdict = await verifyLearnerCard(tampered, context([activeOld()]));
    expect(verdict).toEqual({ ok: false, reason: 'forged' });
  });

  it('calls a card with a changed signature byte forged', async () => {
    const text = await issueLearnerCard(card(), oldKey.secretKey);
    const tampered = withBytes(text, (bytes) => {
      bytes[bytes.length - 1]! ^= 0x01;
    });
    expect(await verifyLearnerCard(tampered, context([activeOld()]))).toMatchObject({ ok: false, reason: 'forged' });
  });

  it('rejects a card signed by a key id this kiosk does not know', async () => {
    const text = await issueLearnerCard(card({ issuerKeyId: 'gd-2099x' }), oldKey.secretKey);
    expect(await verifyLearnerCard(text, context([activeOld()]))).toMatchObject({ ok: false, reason: 'unknown-issuer' });
  });

  it('calls a card signed with a different key under a known id forged', async () => {
    const text = await issueLearnerCard(card(), newKey.secretKey);
    expect(await verifyLearnerCard(text, context([activeOld()]))).toMatchObject({ ok: false, reason: 'forged' });
  });

  it('rejects an expired card', async () => {
    const text = await issueLearnerCard(card({ expiresAt: new Date(NOW.getTime() - 1000) }), oldKey.secretKey);
    expect(await verifyLearnerCard(text, context([activeOld()]))).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('rejects a card issued beyond the allowed clock skew, but tolerates a small skew', async () => {
    const farFuture = await issueLearnerCard(card({ issuedAt: new Date(NOW.getTime() + DAY_MS) }), oldKey.secretKey);
    expect(await verifyLearnerCard(farFuture, context([activeOld()]))).toMatchObject({ ok: false, reason: 'not-yet-valid' });
    const slightlyAhead = await issueLearnerCard(card({ issuedAt: new Date(NOW.getTime() + 60_000) }), oldKey.secretKey);
    expect(await verifyLearnerCard(slightlyAhead, context([activeOld()]))).toMatchObject({ ok: true });
  });

  it('rejects a revoked card by its serial', async () => {
    const text = await issueLearnerCard(card(), oldKey.secretKey);
    const verdict = await verifyLearnerCard(text, context([activeOld()], { isRevoked: (serial) => serial === 1001 }));
    expect(verdict).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('rejects a card whose issuer key was retired', async () => {
    const text = await issueLearnerCard(card(), oldKey.secretKey);
    const keys: TrustedIssuerKey[] = [{ ...activeOld(), status: 'retired' }];
    expect(await verifyLearnerCard(text, context(keys))).toMatchObject({ ok: false, reason: 'retired-issuer' });
  });

  it('keeps verifying old cards after a key rotation while new cards use the new active key', async () => {
    const keys: TrustedIssuerKey[] = [
      { id: 'gd-2026a', publicKey: oldKey.publicKey, status: 'verify-only' },
      { id: 'gd-2026b', publicKey: newKey.publicKey, status: 'active' },
    ];
    const oldCard = await issueLearnerCard(card(), oldKey.secretKey);
    const newCard = await issueLearnerCard(card({ serial: 1002, issuerKeyId: 'gd-2026b' }), newKey.secretKey);
    expect(await verifyLearnerCard(oldCard, context(keys))).toMatchObject({ ok: true, card: { serial: 1001 } });
    expect(await verifyLearnerCard(newCard, context(keys))).toMatchObject({ ok: true, card: { serial: 1002, issuerKeyId: 'gd-2026b' } });
  });

  it.each([
    ['plain text', 'HELLO-WORLD-12345'],
    ['a prefix with nothing after it', CARD_PREFIX],
    ['characters outside base64url', `${CARD_PREFIX}a+b/c=`],
    ['a truncated card', null],
  ])('calls %s unreadable', async (_label, given) => {
    const text = given ?? (await issueLearnerCard(card(), oldKey.secretKey)).slice(0, -10);
    expect(await verifyLearnerCard(text, context([activeOld()]))).toEqual({ ok: false, reason: 'unreadable' });
  });

  it('rejects a card of a format version this kiosk does not support', async () => {
    const text = await issueLearnerCard(card(), oldKey.secretKey);
    const version2 = withBytes(text, (bytes) => {
      bytes[0] = 2;
    });
    expect(await verifyLearnerCard(version2, context([activeOld()]))).toEqual({ ok: false, reason: 'unsupported-version' });
  });
});
