/**
 * `innolink eval run … --save`: stores what a file-based run used — the framework file as a
 * framework (or as a new version of the framework with the same key when its tree changed), the
 * data file as a data set (reused when an identical one is there) — then computes the run from the
 * stored inputs and keeps it. The printed result is the CLI contract of `eval run`, computed from
 * exactly what was stored, with `diagnostics.saved` naming the run.
 */
import path from 'node:path';
import type { ServiceContext } from '../../http/context.ts';
import { buildDataTable, hashData, runComposite, type Methods } from './engine/index.ts';
import { toOutput, type EvalOutput } from './eval.service.ts';
import { fileNameOf, frameworkOf, parseDataFile, parseFrameworkFile, type FileInput } from './indicators.files.ts';
import { frameworkByKey, listDatasets, nodesOf, versionOf } from './indicators.repo.ts';
import type { NodeDto } from './indicators.schema.ts';
import { assertIndicatorAccess, computeAndStoreRun, importDataset, importFramework, importFrameworkVersion, keyFromFileName, storedDataTable } from './indicators.service.ts';

export interface SaveEvalRequest {
  framework: string;
  data: string;
  sheet?: string | number;
  dataSheet?: string | number;
  methods: Methods;
  seed?: number;
  /** Framework key (default: the file's own key, else its name). */
  key?: string;
  label?: string;
}

export type SavedEvalOutput = EvalOutput & { diagnostics: EvalOutput['diagnostics'] & { saved: { run: number; framework: string; version: number; dataset: number; dataset_name: string } } };

const sameNodes = (a: readonly NodeDto[], b: readonly NodeDto[]) => JSON.stringify(a) === JSON.stringify(b);

/** Stores the framework, data set and run of a file-based evaluation; returns the CLI contract. */
export async function saveEvalRun(ctx: ServiceContext, req: SaveEvalRequest): Promise<SavedEvalOutput> {
  assertIndicatorAccess(ctx.actor, 'create');
  const fwFile: FileInput = { path: req.framework };
  const parsed = await parseFrameworkFile(fwFile, req.sheet);
  const key = req.key ?? parsed.meta.key ?? keyFromFileName(fileNameOf(fwFile));

  // Framework: new, unchanged (reuse its latest version), or changed (add a version).
  let f = await frameworkByKey(ctx.db, key);
  if (!f) {
    await importFramework(ctx, fwFile, { key, sheet: req.sheet });
    f = (await frameworkByKey(ctx.db, key))!;
  } else {
    const latest = (await versionOf(ctx.db, f.id))!;
    if (!sameNodes(await nodesOf(ctx.db, latest.id), parsed.nodes)) await importFrameworkVersion(ctx, f.id, fwFile, { sheet: req.sheet });
  }
  const version = (await versionOf(ctx.db, f.id))!;
  const nodes = await nodesOf(ctx.db, version.id);
  const fw = frameworkOf(nodes, `${f.key}@v${version.version}`);

  // Data set: reuse one with the same content, else store the file under a free name.
  const dataFile: FileInput = { path: req.data };
  const shaped = await parseDataFile(nodes, dataFile, req.dataSheet);
  const hash = hashData(buildDataTable(fw, shaped.rows));
  const base = path.basename(req.data, path.extname(req.data));
  const existing = await listDatasets(ctx.db, f.id);
  let datasetId: number | null = null;
  let datasetName = base;
  for (const d of existing) {
    if (d.source_file !== path.basename(req.data)) continue;
    try {
      if (hashData(await storedDataTable(ctx.db, d.id, fw)) === hash) {
        datasetId = d.id;
        datasetName = d.name;
        break;
      }
    } catch {
      // A data set of an earlier version may lack columns of this one: not the same data.
    }
  }
  if (datasetId === null) {
    const names = new Set(existing.map((d) => d.name));
    for (let i = 2; names.has(datasetName); i++) datasetName = `${base} (${i})`;
    datasetId = (await importDataset(ctx, f.id, dataFile, { name: datasetName, sheet: req.dataSheet })).id;
  }

  const { id, result } = await computeAndStoreRun(ctx, {
    framework_id: f.id,
    version: version.version,
    dataset_id: datasetId,
    methods: req.methods as Record<string, unknown>,
    ...(req.seed !== undefined ? { seed: req.seed } : {}),
    ...(req.label ? { label: req.label } : {}),
  });
  const out = toOutput(result, {
    framework: { file: path.basename(req.framework), format: parsed.format, indicators: fw.indicators.length, aggregates: fw.aggregates.length },
    data: { file: path.basename(req.data), format: shaped.format, rows: shaped.rows.length, skipped_rows: shaped.skipped },
  });
  return { ...out, diagnostics: { ...out.diagnostics, saved: { run: id, framework: f.key, version: version.version, dataset: datasetId, dataset_name: datasetName } } };
}

/**
 * `innolink eval run` on a YAML framework file (the COINr CSV/XLSX and JSON forms go through
 * eval.service.ts): the file's own `methods` apply first, then the command's flags.
 */
export async function runEvalYaml(req: Omit<SaveEvalRequest, 'key' | 'label'>): Promise<EvalOutput> {
  const fwFile: FileInput = { path: req.framework };
  const parsed = await parseFrameworkFile(fwFile);
  const shaped = await parseDataFile(parsed.nodes, { path: req.data }, req.dataSheet);
  const data = buildDataTable(parsed.framework, shaped.rows);
  const methods = { ...((parsed.meta.methods ?? {}) as Methods), ...req.methods };
  const result = await runComposite(parsed.framework, data, methods, req.seed !== undefined ? { seed: req.seed } : {});
  return toOutput(result, {
    framework: { file: path.basename(req.framework), format: parsed.format, indicators: parsed.framework.indicators.length, aggregates: parsed.framework.aggregates.length },
    data: { file: path.basename(req.data), format: shaped.format, rows: shaped.rows.length, skipped_rows: shaped.skipped },
  });
}
