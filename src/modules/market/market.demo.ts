/**
 * Demo marketplace: real technology offers, so that a first start can show what matching does
 * — an enterprise writes its need in Chinese and finds offers described only in English.
 *
 * The offers are NASA's technology-transfer portfolio (patents offered for licence, US
 * government data; ../shared/data/tech_transfer/NASA_Patents.csv, see its SOURCES.md): the
 * patent applications and the issued patents not yet expired on DEMO_OFFERS_MADE, each as an
 * offer of its NASA centre for licence. `nasaOffersTable` makes the table the demo loads
 * (demo/market/nasa_patent_offers.csv; `node bin/run-ts.mjs src/modules/market/market.demo.ts
 * --write`), and the marketplace importer loads it, as a bureau would load its results
 * database. The centres are added to the organisation registry first, with their Chinese
 * names, so that the offers have owners.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { systemActor } from '../../actor.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../store/db.ts';
import { nameKey } from '../../text/keys.ts';
import { csvCell } from '../exports/export.ts';
import { registryService } from '../registry/registry.service.ts';
import { REGISTRIES } from '../registries/defs.ts';
import { importProfiles, type ProfileImportResult } from './market.import.ts';

/** NASA's centres: their names in the source and in Chinese. */
export const NASA_CENTRES: Readonly<Record<string, string>> = {
  'NASA Langley Research Center': '美国国家航空航天局兰利研究中心',
  'NASA Glenn Research Center': '美国国家航空航天局格伦研究中心',
  'NASA Goddard Space Flight Center': '美国国家航空航天局戈达德太空飞行中心',
  'NASA Johnson Space Center': '美国国家航空航天局约翰逊航天中心',
  'NASA Marshall Space Flight Center': '美国国家航空航天局马歇尔太空飞行中心',
  'NASA Ames Research Center': '美国国家航空航天局艾姆斯研究中心',
  'NASA Kennedy Space Center': '美国国家航空航天局肯尼迪航天中心',
  'NASA Jet Propulsion Laboratory': '美国国家航空航天局喷气推进实验室',
  'NASA Armstrong Flight Research Center': '美国国家航空航天局阿姆斯特朗飞行研究中心',
  'NASA Stennis Space Center': '美国国家航空航天局斯坦尼斯航天中心',
  'NASA Headquarters': '美国国家航空航天局总部',
};

/** The day the demo table was made (patents expiring by then are left out). */
export const DEMO_OFFERS_MADE = '2026-11-22';

/** The demo table's file, beside the seed tables. */
export const demoOffersPath = (config: Pick<Config, 'seedDir'>) => path.resolve(config.seedDir, '..', 'market', 'nasa_patent_offers.csv');

const HEADER = ['成果名称', '机构', '国家', '合作方式', '知识产权', '案号 case number'];

/** The source's expiration dates: "06/16/2024" or "10 March 2015"; null when empty or unreadable. */
export function expirationDate(s: string): string | null {
  const t = s.trim();
  let m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(t);
  if (m) return `${m[3]}-${m[1]}-${m[2]}`;
  m = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(t);
  if (!m) return null;
  const month = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'].indexOf(m[2].toLowerCase());
  return month < 0 ? null : `${m[3]}-${String(month + 1).padStart(2, '0')}-${m[1].padStart(2, '0')}`;
}

/**
 * The demo table from the NASA portfolio (its CSV text): applications (patent pending) and
 * issued patents expiring after `today` (YYYY-MM-DD); rows of other statuses, and issued
 * patents without a date, are left out. A patent family — cases of one centre under one title
 * (NPO-47300-1 and NPO-47300-2) — is one offer with all its case numbers: a licensee takes the
 * family, and two identical results side by side told a searcher nothing. Its IPR is the issued
 * patent that expires last, or "pending" when none is issued yet.
 */
export function nasaOffersTable(source: string, today: string): string {
  const rows = parse(source, { columns: true, bom: true, delimiter: ';', skip_empty_lines: true, relax_quotes: true }) as Record<string, string>[];
  const families = new Map<string, { title: string; centre: string; expires: string | null; cases: string[] }>();
  for (const r of rows) {
    const centre = NASA_CENTRES[r.Center?.trim()];
    const title = (r.Title ?? '').replace(/\s+/g, ' ').trim();
    if (!centre || !title) continue;
    let expires: string | null = null;
    if (r.Status === 'Issued') {
      expires = expirationDate(r['Patent Expiration Date'] ?? '');
      if (expires === null || expires <= today) continue;
    } else if (r.Status !== 'Application') continue;
    const key = `${centre}\u0000${title.toLowerCase()}`;
    const f = families.get(key) ?? { title, centre, expires: null, cases: [] };
    if (expires !== null && (f.expires === null || expires > f.expires)) f.expires = expires;
    f.cases.push(r['Case Number'].trim());
    families.set(key, f);
  }
  const out = [HEADER.join(',')];
  for (const f of families.values()) {
    const ipr = f.expires === null ? '专利申请中 patent pending' : `专利 patent (expires ${f.expires})`;
    out.push([f.title, f.centre, '美国', '许可 licence', ipr, f.cases.join('; ')].map(csvCell).join(','));
  }
  return `${out.join('\n')}\n`;
}

/** Adds the NASA centres to the organisation registry (those not there yet) and loads the demo offers, published. */
export async function loadDemoMarket(db: Db, config: Config): Promise<ProfileImportResult | null> {
  const file = demoOffersPath(config);
  if (!fs.existsSync(file)) return null;
  const ctx = { db, config, actor: systemActor('demo') };
  const orgs = registryService(REGISTRIES.organizations);
  for (const [en, zh] of Object.entries(NASA_CENTRES)) {
    const [known] = await db.query('SELECT 1 FROM organizations WHERE name_key = $1', [nameKey(zh)]);
    if (!known) await orgs.create(ctx, { name_zh: zh, name_en: en, domestic: false, type: 'institute', country_iso3: 'USA', classification: 'public' });
  }
  return importProfiles(ctx, { fileName: path.basename(file), path: file }, { kind: 'offers', publish: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename) && process.argv.includes('--write')) {
  const source = path.resolve(import.meta.dirname, '../../../../shared/data/tech_transfer/NASA_Patents.csv');
  const target = demoOffersPath({ seedDir: path.resolve(import.meta.dirname, '../../../demo/seed-tables') });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const text = nasaOffersTable(fs.readFileSync(source, 'utf8'), DEMO_OFFERS_MADE);
  fs.writeFileSync(target, text);
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  const cases = rows.reduce((n, r) => n + r['案号 case number'].split('; ').length, 0);
  console.log(`${target}: ${rows.length} offers, ${cases} cases (patents expiring after ${DEMO_OFFERS_MADE} and applications; a family is one offer)`);
}
