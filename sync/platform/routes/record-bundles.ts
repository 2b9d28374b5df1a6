import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { BUNDLE_KEY_HEADER, BundlePublicKey, BundleRefused, MAX_BUNDLE_BYTES, type BundleProblem } from '../../protocol/record-bundle';
import { Compile } from 'typebox/compile';
import { kioskAuthentication } from '../kiosk-auth';
import { recordKioskHeartbeat } from '../kiosk-heartbeats';
import { importRecordBundle, registerBundleKey } from '../record-bundles';

/** Where a kiosk host relays a record bundle it read from a drive (POST, the file's bytes as application/octet-stream). */
export const RECORD_BUNDLE_RELAY_PATH = '/sync/record-bundles';
/** The admin API's import: the same body and answer. */
export const RECORD_BUNDLE_ADMIN_PATH = '/admin/record-bundles';
export const BUNDLE_CONTENT_TYPE = 'application/octet-stream';

const publicKeyCheck = Compile(BundlePublicKey);

/** The HTTP status for each reason a bundle is refused; the message says what staff can do. */
const refusalStatus: Record<BundleProblem, number> = {
  'not-a-bundle': 422,
  'wrong-kind': 422,
  truncated: 422,
  'bad-signature': 422,
  'unknown-kiosk': 422,
  'no-key': 422,
  'revoked-kiosk': 403,
  'wrong-site': 403,
  'too-large': 413,
};

export function sendBundleRefusal(reply: FastifyReply, error: BundleRefused): FastifyReply {
  const statusCode = refusalStatus[error.code];
  return reply.code(statusCode).send({ statusCode, error: 'Bundle Refused', code: error.code, message: error.message });
}

/** Takes a bundle file as raw bytes, up to the largest bundle either side reads. */
export function acceptBundleBytes(app: Parameters<FastifyPluginAsync>[0]): void {
  app.addContentTypeParser(BUNDLE_CONTENT_TYPE, { parseAs: 'buffer', bodyLimit: MAX_BUNDLE_BYTES }, (_request, body, done) => done(null, body));
}

/**
 * preHandler for kiosk sync routes, after authentication: registers the bundle key the kiosk
 * host sends, once. Costs nothing once registered (kiosk-auth read whether it is); a missing or
 * malformed header never fails the sync it rode on.
 */
export function bundleKeyRegistration(pool: pg.Pool) {
  return async function registerKey(request: FastifyRequest): Promise<void> {
    if (request.kioskHasBundleKey) return;
    const header = request.headers[BUNDLE_KEY_HEADER];
    if (typeof header !== 'string' || !publicKeyCheck.Check(header)) return;
    const outcome = await registerBundleKey(pool, request.kiosk.id, header);
    if (outcome === 'different') request.log.warn({ kiosk: request.kiosk.id }, 'a different bundle key was offered and ignored');
  };
}

/**
 * A kiosk online relays a bundle another kiosk of its site wrote to a drive, and gets the
 * receipt to write back to it. Only bundles of its own site: a kiosk carries nothing across sites.
 */
export function recordBundleRelayRoutes(pool: pg.Pool): FastifyPluginAsync {
  return async (app) => {
    acceptBundleBytes(app);
    app.addHook('preHandler', kioskAuthentication(pool));
    app.addHook('preHandler', recordKioskHeartbeat(pool));
    app.addHook('preHandler', bundleKeyRegistration(pool));
    app.post<{ Body: Buffer }>(RECORD_BUNDLE_RELAY_PATH, async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) return reply.code(415).send({ statusCode: 415, error: 'Unsupported Media Type', message: `Send the bundle file as ${BUNDLE_CONTENT_TYPE}.` });
      try {
        const imported = await importRecordBundle(pool, new Uint8Array(request.body), { via: 'kiosk', kiosk: request.kiosk });
        request.log.info({ relay: request.kiosk.id, kiosk: imported.kioskId, bundleSeq: imported.bundleSeq, records: imported.recordCount }, 'record bundle relayed');
        return reply.code(200).type(BUNDLE_CONTENT_TYPE).send(Buffer.from(imported.receipt));
      } catch (error) {
        if (error instanceof BundleRefused) return sendBundleRefusal(reply, error);
        throw error;
      }
    });
  };
}
