/**
 * The web application at "/": the built single-page app (vite build → dist/web) with every
 * non-API path answered by its index.html, so deep links work. Without a build, "/" shows what
 * this server is, in Chinese and English, with links to the API and how to build the app.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { setPageFallback } from './errors.plugin.ts';

export async function registerWeb(app: FastifyInstance, webDir: string): Promise<void> {
  const index = path.join(webDir, 'index.html');
  if (!fs.existsSync(index)) {
    registerHome(app);
    return;
  }
  await app.register(fastifyStatic, {
    root: webDir,
    // Files are looked up at request time: a rebuild while the server runs is served at once.
    wildcard: true,
    index: false,
    // bin/build-web.mjs writes .br and .gz beside each asset.
    preCompressed: true,
    // Hashed bundles never change; index.html must be asked for again each time.
    setHeaders: (res, file) => {
      res.header('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  // Read each time: a rebuild while the server runs is picked up (the file is small).
  const sendIndex = (reply: import('fastify').FastifyReply) => reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(fs.readFileSync(index));
  app.get('/', { schema: { hide: true } }, async (_req, reply) => sendIndex(reply));
  setPageFallback(app, (reply) => void sendIndex(reply));
}

function registerHome(app: FastifyInstance): void {
  app.get('/', { schema: { hide: true } }, async (_req, reply) => {
    const counts = await app.db.query<{ k: string; n: number }>(
      `SELECT 'projects' AS k, count(*)::int AS n FROM projects UNION ALL SELECT 'organizations', count(*)::int FROM organizations
       UNION ALL SELECT 'funding', count(*)::int FROM funding UNION ALL SELECT 'imports', count(*)::int FROM imports`,
    );
    const n = Object.fromEntries(counts.map((c) => [c.k, c.n]));
    void reply.type('text/html; charset=utf-8');
    return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>innolink 国际科技合作管理平台</title>
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:720px;margin:3rem auto;padding:0 1rem;color:#222}a{color:#1677ff}li{margin:.3rem 0}.en{color:#666}</style></head>
<body><h1>innolink 国际科技合作管理平台 <span class="en">/ International STI cooperation platform</span></h1>
<p>项目 ${n.projects} 个 · 机构 ${n.organizations} 家 · 经费记录 ${n.funding} 条 · 导入批次 ${n.imports} 个
<br><span class="en">${n.projects} projects · ${n.organizations} organisations · ${n.funding} funding records · ${n.imports} imports</span></p>
<ul><li><a href="/api/docs">接口文档 / API documentation</a></li><li><a href="/api/openapi.json">OpenAPI</a></li>
<li><a href="/api/query/funding?by=region,year">经费按辖区与年份汇总 / Funding by district and year</a></li>
<li><a href="/api/imports">导入记录 / Import history</a></li><li><a href="/api/health">运行状态 / Health</a></li></ul>
<p class="en">网页界面尚未构建：运行 <code>npm run build</code> 后重启。命令行见 <code>npx innolink --help</code>。 / The web application is not built: run <code>npm run build</code> and restart. See also <code>npx innolink --help</code>.</p></body></html>`;
  });
}
