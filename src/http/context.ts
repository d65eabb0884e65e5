/**
 * What a route handler passes to a service: the store and the actor of the request.
 */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../actor.ts';
import type { Config } from '../config.ts';
import type { Db } from '../store/db.ts';

export interface ServiceContext {
  readonly db: Db;
  readonly actor: Actor;
  readonly config: Config;
  /** Id of the HTTP request, recorded in the audit log. */
  readonly requestId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyInstance {
    db: Db;
    config: Config;
  }
}

/** The service context of a request. */
export function ctx(req: FastifyRequest): ServiceContext {
  return { db: req.server.db, actor: req.actor, config: req.server.config, requestId: req.id };
}
