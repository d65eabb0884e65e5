/**
 * An application on a fresh store, for API tests with app.inject().
 */
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/http/app.ts';
import { freshStore, type StoreKind, type TestStore } from './stores.ts';

export interface TestApp {
  app: FastifyInstance;
  store: TestStore;
  close(): Promise<void>;
}

export const testConfig = () => loadConfig({ ...process.env, INNOLINK_DEMO: '0', DATABASE_URL: '' });

export async function testApp(kind: StoreKind): Promise<TestApp> {
  const store = await freshStore(kind);
  const app = await buildApp({ db: store.db, config: testConfig() });
  await app.ready();
  return {
    app,
    store,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
