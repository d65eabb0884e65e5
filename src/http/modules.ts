/**
 * The API areas, each an encapsulated Fastify plugin registered under /api.
 */
import type { FastifyPluginAsync } from 'fastify';
import { registriesApi } from '../modules/registries/registries.routes.ts';

export const apiModules: FastifyPluginAsync[] = [registriesApi];
