import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Whether a given token is the configured admin token. Both sides are hashed first so the
 * comparison is constant-time whatever their lengths, and only the hash of the configured token
 * is kept in memory.
 */
export function adminTokenChecker(adminToken: string): (given: string) => boolean {
  const expected = digest(adminToken);
  return (given) => given !== '' && timingSafeEqual(digest(given), expected);
}

/** preHandler for /admin: the Bearer token must be the admin token. */
export function adminAuthentication(adminToken: string) {
  const isAdminToken = adminTokenChecker(adminToken);
  return async function authenticateAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!isAdminToken(given)) {
      return reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: 'An admin token is required.' });
    }
  };
}
