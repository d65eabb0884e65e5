/**
 * A synthetic but realistic data set for the benchmarks: projects with Chinese (and some
 * English) titles built from the seed papers' vocabulary and real CORDIS titles, partner
 * participations with real ISO country codes skewed like Changzhou's partners (a few countries
 * hold most), and yearly funding lines. Deterministic for a given seed; written as CSV files
 * in the shapes the importer reads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface BenchFiles {
  projects: string;
  partners: string;
  funding: string;
  counts: { projects: number; partners: number; funding: number; organizations: number };
}

/** mulberry32: small, fast, seedable; good enough to shape synthetic data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Partner countries in the order of 002 §2.3 (top ten hold 90.9 % of funding), then others.
const COUNTRIES = ['RUS', 'DEU', 'USA', 'GBR', 'KOR', 'ISR', 'ITA', 'FRA', 'FIN', 'NLD', 'JPN', 'CAN', 'AUS', 'SWE', 'CHE', 'DNK', 'BEL', 'AUT', 'ESP', 'SGP', 'HKG', 'NOR', 'IRL', 'POL', 'CZE', 'HUN', 'THA', 'MYS', 'IND', 'BRA', 'ZAF', 'EGY', 'TUR', 'NZL', 'PRT', 'GRC', 'UKR', 'BLR', 'KAZ', 'PAK', 'VNM', 'IDN', 'SAU', 'ARE', 'CHL', 'MEX', 'ARG', 'SRB', 'TWN', 'MAC'];
const ZH_FIELDS = ['新医药', '智能数控', '机器人', '太阳能光伏', '轨道交通', '新能源汽车', '新材料', '节能环保', '生物技术', '集成电路', '人工智能', '现代农业', '海洋工程', '石墨烯'];
const ZH_TECH = ['超临界流体结晶', '无线传感器网络', '光伏电池金属电极', '激光熔覆再制造', '抗体工业化生产', '胶原蛋白海绵制备', '聚焦超声治疗', '智能温室', '风电机组智能控制', '高精度在线检测', '云计算物流配送', '多糖药物', '数控机床', '电机铸件', '餐厨垃圾处理', '雨量智能感应', '自体细胞移植', '相位差校正', '热作模具钢', '齿轮传动系统', '石墨烯导热膜', '锂电池正极材料', '工业互联网平台', '碳化硅功率器件', '手术机器人'];
const ZH_SUFFIX = ['关键技术研究及产业化', '的联合研发', '技术引进与二次开发', '国际合作研发', '合作开发项目', '联合实验室建设', '技术转移与应用示范', '产业化示范'];
const ZH_ORG_PREFIX = ['常州', '江苏', '新北', '武进', '钟楼', '金坛', '溧阳', '天宁'];
const ZH_ORG_MID = ['天合', '恒立', '中天', '星宇', '东风', '华润', '瑞声', '中简', '晶华', '创新', '智造', '生物', '医药', '精密', '新能源', '光电'];
const ZH_ORG_SUFFIX = ['科技有限公司', '股份有限公司', '研究院', '大学', '技术有限公司', '医疗器械有限公司'];
const EN_ORG_WORDS = ['Advanced', 'Applied', 'Nordic', 'Euro', 'Quantum', 'Bio', 'Smart', 'Green', 'Precision', 'Micro', 'Solar', 'Marine', 'Photon', 'Graphene', 'Medical'];
const EN_ORG_SUFFIX = ['GmbH', 'Ltd', 'University', 'Institute of Technology', 'SA', 'BV', 'Oy', 'AB', 'Research Centre', 'Inc.'];
const DISTRICTS = ['新北', '武进', '钟楼', '天宁', '金坛', '溧阳'];
const MODES = ['技术引进与二次开发', '联合研发', '逆向外包', '共建平台', '人才交流'];
const LEVELS = ['国家级', '省级', '市级'];

/** Zipf-like pick: index i has weight 1 / (i + 1)^s. */
function zipf(rand: () => number, n: number, s = 1.1): () => number {
  const w = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);
  const cum: number[] = [];
  let acc = 0;
  for (const x of w) cum.push((acc += x));
  return () => {
    const r = rand() * acc;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

async function englishTitles(limit: number): Promise<string[]> {
  const file = path.resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'cordis', 'cordis_topics', 'h2020_topics.csv');
  const out: string[] = [];
  if (!fs.existsSync(file)) return out;
  const rl = createInterface({ input: fs.createReadStream(file) });
  for await (const line of rl) {
    const m = /^"[^"]*";"[^"]*";"(.*)"$/.exec(line);
    if (m && m[1] !== 'title' && m[1].length > 10) out.push(m[1].replace(/""/g, '"'));
    if (out.length >= limit) break;
  }
  return out;
}

function csv(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

class Writer {
  private stream: fs.WriteStream;
  private buf: string[] = [];
  constructor(file: string, header: string[]) {
    this.stream = fs.createWriteStream(file);
    this.buf.push(`${header.join(',')}\n`);
  }
  async row(cells: (string | number)[]) {
    this.buf.push(`${cells.map(csv).join(',')}\n`);
    if (this.buf.length >= 5000) await this.flush();
  }
  async flush() {
    if (!this.stream.write(this.buf.join(''))) await once(this.stream, 'drain');
    this.buf = [];
  }
  async close() {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

/** Writes the data set into `dir` unless it is already there for the same sizes and seed. */
export async function generate(dir: string, opts: { projects: number; partners: number; fundingPerProject: number; seed: number }): Promise<BenchFiles> {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = path.join(dir, 'manifest.json');
  const files = { projects: path.join(dir, 'projects.csv'), partners: path.join(dir, 'partners.csv'), funding: path.join(dir, 'funding.csv') };
  const want = JSON.stringify(opts);
  if (fs.existsSync(stamp)) {
    const m = JSON.parse(fs.readFileSync(stamp, 'utf8')) as { opts: string; counts: BenchFiles['counts'] };
    if (m.opts === want) return { ...files, counts: m.counts };
  }
  const rand = prng(opts.seed);
  const country = zipf(rand, COUNTRIES.length, 1.3);
  const english = await englishTitles(30000);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];

  const orgCount = Math.max(1000, Math.round(opts.partners / 20));
  const orgs: { name: string; country: string }[] = [];
  for (let i = 0; i < orgCount; i++) {
    const c = COUNTRIES[country()];
    const name = `${pick(EN_ORG_WORDS)} ${pick(EN_ORG_WORDS)} ${pick(EN_ORG_SUFFIX)} ${i}`;
    orgs.push({ name, country: c });
  }
  const orgPick = zipf(rand, orgs.length, 0.9);

  const pw = new Writer(files.projects, ['项目编号', '项目名称', '英文名称', '项目层级', '辖区', '技术领域', '合作方式', '开始日期', '结束日期', '牵头单位']);
  const fw = new Writer(files.funding, ['项目编号', '年份', '金额', '资金来源']);
  const aw = new Writer(files.partners, ['项目编号', '合作单位', '国别', '角色']);
  let partners = 0;
  let funding = 0;
  const perProject = opts.partners / opts.projects;
  for (let i = 0; i < opts.projects; i++) {
    const code = `BENCH-${String(i).padStart(7, '0')}`;
    const year = 2011 + Math.floor(rand() * 14);
    const zh = `${pick(ZH_FIELDS)}${pick(ZH_TECH)}${pick(ZH_SUFFIX)}`;
    const en = english.length && rand() < 0.5 ? english[Math.floor(rand() * english.length)] : '';
    const lead = `${pick(ZH_ORG_PREFIX)}${pick(ZH_ORG_MID)}${pick(ZH_ORG_SUFFIX)}`;
    await pw.row([code, zh, en, pick(LEVELS), pick(DISTRICTS), pick(ZH_FIELDS), pick(MODES), `${year}-01-01`, `${year + 2}-12-31`, lead]);
    for (let k = 0; k < opts.fundingPerProject; k++) {
      await fw.row([code, year + k, Math.round(rand() * 500 * 100) / 100, k === 0 ? '市财政' : '企业自筹']);
      funding++;
    }
    // Poisson-ish number of partners around the mean, at least one.
    const n = Math.max(1, Math.round(perProject + (rand() - 0.5) * perProject));
    const used = new Set<number>();
    for (let k = 0; k < n && partners < opts.partners; k++) {
      const o = orgPick();
      if (used.has(o)) continue;
      used.add(o);
      await aw.row([code, orgs[o].name, orgs[o].country, k === 0 ? '协调方' : '合作单位']);
      partners++;
    }
  }
  await Promise.all([pw.close(), fw.close(), aw.close()]);
  const counts = { projects: opts.projects, partners, funding, organizations: orgCount };
  fs.writeFileSync(stamp, JSON.stringify({ opts: want, counts }));
  return { ...files, counts };
}
