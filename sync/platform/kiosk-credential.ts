import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A kiosk's credential is `<kioskId>.<secret>`. The secret is 192 random bits, so a fast hash
 * (SHA-256) is enough to store it: there is nothing to brute-force that a slow hash would protect.
 */
export function mintKioskCredential(kioskId: string): { credential: string; tokenHash: string } {
  const secret = randomBytes(24).toString('base64url');
  return { credential: `${kioskId}.${secret}`, tokenHash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function parseKioskCredential(credential: string): { kioskId: string; secret: string } | null {
  const dot = credential.lastIndexOf('.');
  if (dot <= 0 || dot === credential.length - 1) return null;
  return { kioskId: credential.slice(0, dot), secret: credential.slice(dot + 1) };
}

export function secretMatches(secret: string, tokenHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(tokenHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
