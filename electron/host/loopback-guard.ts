import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';

/** The names the kiosk's own page reaches the host by; anything else is another site's page (DNS rebinding) or a mistake. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Sent as text: the route's own response schema (say, the PIN route's 403) does not describe this refusal. */
function refuse(reply: FastifyReply, message: string) {
  return reply.code(403).type('application/json; charset=utf-8').send(JSON.stringify({ statusCode: 403, error: 'Forbidden', message }));
}

/**
 * Refuses, before any route runs, a request whose Host is not the host's own loopback address
 * and port, and a state-changing request from another origin. A page on another site that
 * resolves its name to 127.0.0.1 (DNS rebinding) still sends its own name as Host, and a browser
 * sends the page's Origin on every POST, PUT, PATCH and DELETE. A request with no Origin at all
 * does not come from a page: it comes from a program on this computer, which can read the
 * kiosk's files anyway, so it is let through (README, "Kiosk host security").
 */
export function guardLoopback(app: FastifyInstance): void {
  const allowedHosts = (): Set<string> => {
    const port = (app.server.address() as AddressInfo | null)?.port;
    return new Set(LOOPBACK_NAMES.map((name) => `${name}:${port}`));
  };
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const hosts = allowedHosts();
    const host = (request.headers.host ?? '').toLowerCase();
    if (!hosts.has(host)) {
      return refuse(reply, `This kiosk host answers only to ${[...hosts][0]} (or localhost, [::1] on that port); Host "${host}" was refused.`);
    }
    const origin = request.headers.origin;
    if (origin !== undefined && STATE_CHANGING.has(request.method)) {
      const originHost = /^http:\/\/(.+)$/.exec(origin.toLowerCase())?.[1];
      if (!originHost || !hosts.has(originHost)) {
        return refuse(reply, `Only the kiosk's own page may change anything here; a request from ${origin} was refused.`);
      }
    }
  });
}
