/**
 * An application on a fresh store, for API tests with app.inject(). Requests are made as a
 * logged-in administrator unless they carry their own cookie header; `anon` sends none.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/http/app.ts';
import { sessionCookie } from '../src/modules/auth/auth.testing.ts';
import { freshStore, type StoreKind, type TestStore } from './stores.ts';

export interface TestApp {
  app: FastifyInstance;
  store: TestStore;
  /** The administrator's session cookie the app's inject() sends by default. */
  cookie: string;
  /** A request without any session. */
  anon(opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The configuration of test apps; `env` sets variables on top (e.g. lower limits). */
export const testConfig = (env: Record<string, string> = {}) => loadConfig({ ...process.env, INNOLINK_DEMO: '0', DATABASE_URL: '', ...env });

export async function testApp(kind: StoreKind, env: Record<string, string> = {}): Promise<TestApp> {
  const store = await freshStore(kind);
  const app = await buildApp({ db: store.db, config: testConfig(env) });
  await app.ready();
  const { cookie } = await sessionCookie(store.db, { role: 'admin', username: 'test-admin' });
  const inject = app.inject.bind(app);
  const anon = (opts: InjectOptions) => inject(opts) as Promise<LightMyRequestResponse>;
  // Tests read as an administrator would use the API; access rules have tests of their own.
  app.inject = ((opts: InjectOptions) => inject({ ...opts, headers: { cookie, ...(opts.headers ?? {}) } })) as typeof app.inject;
  return {
    app,
    store,
    cookie,
    anon,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
