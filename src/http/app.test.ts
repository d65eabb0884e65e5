import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../test/app.ts';

describe('HTTP error handling', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp('pglite');
  });
  afterAll(async () => t?.close());

  it('answers an unknown error as a generic 500 that shows nothing of it', async () => {
    const app = t.app;
    // Make the store fail underneath a route, as a lost connection would.
    const realQuery = t.store.db.query.bind(t.store.db);
    (t.store.db as { query: typeof realQuery }).query = async () => {
      throw new Error('secret connection detail');
    };
    try {
      const failed = await app.inject({ url: '/api/projects' });
      expect(failed.statusCode).toBe(500);
      const body = failed.json();
      expect(body.error.code).toBe('INTERNAL');
      expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
      expect(failed.body).not.toContain('secret');
      expect(body.error.requestId).toBeTruthy();
    } finally {
      (t.store.db as { query: typeof realQuery }).query = realQuery;
    }
  });

  it('answers unknown routes with ROUTE_NOT_FOUND and serves the OpenAPI document', async () => {
    const res = await t.app.inject({ url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3/);
    for (const p of ['/api/projects', '/api/countries', '/api/imports', '/api/query/funding', '/api/regions', '/api/health']) expect(Object.keys(doc.paths)).toContain(p);
    expect((await t.app.inject({ url: '/api/docs' })).statusCode).toBeLessThan(400);
    const home = await t.app.inject({ url: '/' });
    expect(home.headers['content-type']).toMatch(/html/);
    expect(home.body).toContain('国际科技合作');
  });
});
