/**
 * The web application's files: index.html at "/" and for every deep link, hashed assets served
 * (pre-compressed when the browser accepts it), API paths never answered with the page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { testConfig } from '../../test/app.ts';
import { freshStore, type TestStore } from '../../test/stores.ts';

describe('web application files', () => {
  let app: FastifyInstance;
  let store: TestStore;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-web-'));
  beforeAll(async () => {
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    fs.writeFileSync(path.join(dir, 'assets', 'app-1.js'), 'console.log("v1")');
    fs.writeFileSync(path.join(dir, 'assets', 'app-1.js.gz'), zlib.gzipSync('console.log("v1")'));
    store = await freshStore('pglite');
    app = await buildApp({ db: store.db, config: { ...testConfig(), webDir: dir } });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers / and deep links with the page', async () => {
    for (const url of ['/', '/registries/projects', '/plans/3/tasks/1?asOf=2025-06-30']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('id="root"');
    }
  });

  it('serves assets, compressed when accepted, and files added after start', async () => {
    const plain = await app.inject({ method: 'GET', url: '/assets/app-1.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toBe('console.log("v1")');
    const gz = await app.inject({ method: 'GET', url: '/assets/app-1.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    fs.writeFileSync(path.join(dir, 'assets', 'app-2.js'), 'console.log("v2")');
    expect((await app.inject({ method: 'GET', url: '/assets/app-2.js' })).body).toBe('console.log("v2")');
  });

  it('never answers API paths or missing assets with the page', async () => {
    const api = await app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBeTruthy();
    const asset = await app.inject({ method: 'GET', url: '/assets/missing.js' });
    expect(asset.statusCode).toBe(404);
    expect(asset.body).not.toContain('id="root"');
  });
});
