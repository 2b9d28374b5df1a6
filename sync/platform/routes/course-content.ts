import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * Course package files as `/content/<course id>/<file>`, with HTTP Range so a kiosk on a flaky
 * link resumes where it stopped. Course material is public learning content, so it needs no
 * kiosk credential; kiosks verify every file against the SHA-256 in the manifest they pulled.
 */
export function courseContentRoutes(contentDir: string): FastifyPluginAsync {
  return async (app) => {
    await app.register(fastifyStatic, { root: contentDir, prefix: '/content/', decorateReply: false, index: false, dotfiles: 'deny' });
  };
}
