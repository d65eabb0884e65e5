/**
 * The API areas, each an encapsulated Fastify plugin registered under /api.
 */
import type { FastifyPluginAsync } from 'fastify';

export const apiModules: FastifyPluginAsync[] = [];
