/**
 * The built-in indicator frameworks (editable templates shipped as data in ./builtin/), loaded
 * with the demo: the JRC COINr ASEM example with its data and the COINr build as a stored run;
 * the Global Innovation Index structure with the 2022 pillar scores, for seed paper 003's
 * innovation-level grouping of partner countries; and the three frameworks the seed papers call
 * for — project performance, platform performance and the regional innovation-internationalisation
 * index on the Jiangsu paper's four dimensions (templates without data).
 */
import path from 'node:path';
import { systemActor } from '../../actor.ts';
import type { Config } from '../../config.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Db } from '../../store/db.ts';
import { datasetByName, frameworkByKey } from './indicators.repo.ts';
import type { RunOptions } from './indicators.schema.ts';
import { computeAndStoreRun, importDataset, importFramework } from './indicators.service.ts';

export const BUILTIN_DIR = path.join(import.meta.dirname, 'builtin');

export interface BuiltinFramework {
  file: string;
  key: string;
  /** For CSV/XLSX files, which carry no metadata; YAML files name themselves. */
  name?: string;
  name_en?: string;
  description?: string;
  label?: string;
  datasets: { file: string; name: string; description: string; runs: (RunOptions & { label: string })[] }[];
}

/** The COINr build_example_coin() pipeline (see ../shared/data/SOURCES.md). */
export const COINR_ASEM_OPTIONS: RunOptions = {
  impute: 'groupMean:EurAsia_group',
  screen: 0.9,
  treat: 'winsorise:5',
  normalise: 'minmax',
  range: [0, 100],
  weights: 'meta',
  aggregate: 'arithmetic',
};

export const BUILTINS: BuiltinFramework[] = [
  {
    file: 'asem_iMeta.csv',
    key: 'coinr-asem',
    name: 'ASEM 互联互通与可持续发展指数（COINr 示例）',
    name_en: 'ASEM Sustainable Connectivity Index (COINr example)',
    label: 'COINr-ASEM-1.1.14',
    description:
      'JRC COINr 软件包的示例指数：51 个亚欧会议成员，49 个指标 → 8 个支柱 → 2 个次级指数 → 总指数（bluefoxr/COINr，MIT 许可）。用于核对评价引擎：COINr 1.1.14 的 build_example_coin() 得出 CHE 68.38、NLD 64.82、DNK 64.80。\n\nThe JRC COINr package example: 51 ASEM members, 49 indicators → 8 pillars → 2 sub-indices → index (bluefoxr/COINr, MIT licence). The engine reproduces COINr 1.1.14 build_example_coin(): CHE 68.38, NLD 64.82, DNK 64.80.',
    datasets: [
      {
        file: 'asem_iData.csv',
        name: 'ASEM 2018',
        description: 'COINr ASEM_iData（2018 年，51 个单位，49 个指标、4 个分母、4 个分组列） / COINr ASEM_iData (2018, 51 units)',
        runs: [
          { label: 'COINr build_example_coin()', ...COINR_ASEM_OPTIONS },
          { label: 'COINr 流程 + 权重扰动 ±25% 的不确定性分析（1000 次） / with ±25 % weight uncertainty (1000 replications)', ...COINR_ASEM_OPTIONS, uncertainty: 1000, perturb: 0.25, seed: 20240501 },
        ],
      },
    ],
  },
  {
    file: 'gii-partner-innovation.yaml',
    key: 'gii-partner-innovation',
    datasets: [
      {
        file: 'gii_2022_pillars.csv',
        name: 'GII 2022',
        description: 'WIPO 全球创新指数 2022 年 132 个经济体的 7 个支柱得分 / WIPO GII 2022 pillar scores of 132 economies',
        runs: [{ label: 'GII 2022 重算（与 WIPO 公布值一致） / GII 2022 recomputed' }],
      },
    ],
  },
  { file: 'project-performance.yaml', key: 'project-performance', datasets: [] },
  { file: 'platform-performance.yaml', key: 'platform-performance', datasets: [] },
  { file: 'regional-internationalisation.yaml', key: 'regional-internationalisation', datasets: [] },
];

export interface BuiltinLoadResult {
  frameworks: number;
  datasets: number;
  runs: number;
}

/**
 * Loads the built-in frameworks, their data sets and demo runs. Idempotent: frameworks and data
 * sets already there (by key and name) are left as they are; runs are added only with a new data set.
 */
export async function loadBuiltinIndicators(db: Db, config: Config, note: (msg: string) => void = () => undefined): Promise<BuiltinLoadResult> {
  const ctx: ServiceContext = { db, config, actor: systemActor('demo') };
  const out: BuiltinLoadResult = { frameworks: 0, datasets: 0, runs: 0 };
  for (const b of BUILTINS) {
    let f = await frameworkByKey(db, b.key);
    if (!f) {
      const d = await importFramework(ctx, { path: path.join(BUILTIN_DIR, b.file) }, { key: b.key, name: b.name, name_en: b.name_en, description: b.description, label: b.label, builtin: true });
      f = (await frameworkByKey(db, d.key))!;
      out.frameworks++;
    }
    for (const ds of b.datasets) {
      if (await datasetByName(db, f.id, ds.name)) continue;
      const d = await importDataset(ctx, f.id, { path: path.join(BUILTIN_DIR, ds.file) }, { name: ds.name, description: ds.description });
      out.datasets++;
      for (const { label, ...opts } of ds.runs) {
        await computeAndStoreRun(ctx, { framework_id: f.id, dataset_id: d.id, label, ...opts });
        out.runs++;
      }
    }
  }
  note(`  指标框架 / indicator frameworks: ${out.frameworks}, 数据集 / data sets: ${out.datasets}, 评价运行 / runs: ${out.runs}`);
  return out;
}
