/**
 * The page at "/" until the web application arrives: what this server is, in Chinese and
 * English, with links to the API documentation.
 */
import type { FastifyInstance } from 'fastify';

export function registerHome(app: FastifyInstance): void {
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
<p class="en">网页界面即将推出；命令行见 <code>npx innolink --help</code>。 / The web application is coming; see <code>npx innolink --help</code>.</p></body></html>`;
  });
}
