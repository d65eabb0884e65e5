/**
 * The generic registries' API (organisations, projects, funding, platforms, talents,
 * mechanisms, outputs, facts).
 */
import type { FastifyPluginAsync } from 'fastify';
import { registryRoutes } from '../registry/registry.routes.ts';
import { registryService } from '../registry/registry.service.ts';
import { REGISTRIES } from './defs.ts';
import { projectRelated } from './projects.related.ts';
import { partnersApi } from './partners.routes.ts';

export const registriesApi: FastifyPluginAsync = async (app) => {
  for (const def of Object.values(REGISTRIES)) {
    await app.register(
      registryRoutes(registryService(def), def.kind === 'projects' ? { related: projectRelated } : {}),
    );
  }
  await app.register(partnersApi);
};
