import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { parseKioskCredential, secretMatches } from './kiosk-credential';

export interface AuthenticatedKiosk {
  id: string;
  siteId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    kiosk: AuthenticatedKiosk;
    /** Whether the kiosk has registered its bundle key (record-bundles.ts); read with the credential, so it costs no query. */
    kioskHasBundleKey: boolean;
  }
}

/** preHandler for every sync route: the request must carry one active kiosk's credential. */
export function kioskAuthentication(pool: pg.Pool) {
  return async function authenticateKiosk(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization ?? '';
    const parsed = header.startsWith('Bearer ') ? parseKioskCredential(header.slice(7).trim()) : null;
    if (!parsed) {
      return reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: 'A kiosk credential is required.' });
    }
    const { rows } = await pool.query<{ site_id: string; token_hash: string; status: string; has_bundle_key: boolean }>(
      'select site_id, token_hash, status, bundle_public_key is not null as has_bundle_key from kiosks where id = $1',
      [parsed.kioskId],
    );
    const kiosk = rows[0];
    if (!kiosk || !secretMatches(parsed.secret, kiosk.token_hash)) {
      return reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: 'Unknown kiosk credential.' });
    }
    if (kiosk.status !== 'active') {
      return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: 'This kiosk has been revoked.' });
    }
    request.kiosk = { id: parsed.kioskId, siteId: kiosk.site_id };
    request.kioskHasBundleKey = kiosk.has_bundle_key;
  };
}
