/**
 * Indicator systems and evaluation (issue 5), stored: frameworks with immutable versions, data
 * sets, and evaluation runs that can be reproduced and explained from what is stored. Called by
 * the HTTP routes, the CLI and the demo loader alike.
 *
 * Access: evaluators and administrators write; the bureau reads; every other role is refused
 * (403). Deleting needs `can(…, 'delete', …)`, which the policy gives administrators only.
 */
import path from 'node:path';
import type { Actor } from '../../actor.ts';
import { AppError, conflict, forbidden } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Sql } from '../../store/db.ts';
import { translatePgError } from '../../store/pg-errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { can, type Action } from '../auth/auth.policy.ts';
import {
  ahpAnalyse,
  buildDataTable,
  ENGINE_VERSION,
  parseCell,
  prepareComposite,
  runComposite,
  type CompositeResult,
  type DataTable,
  type Framework,
  type Methods,
  type UncertaintySummary,
} from './engine/index.ts';
import { parseAhpFile } from './indicators.ahp-file.ts';
import { explainUnit } from './indicators.explain.ts';
import { fileNameOf, frameworkOf, normaliseNodes, parseDataFile, parseFrameworkFile, shapeRowsJson, type FileInput, type ParsedData, type ParsedFramework } from './indicators.files.ts';
import { methodsFromRunOptions } from './indicators.methods.ts';
import {
  countRuns,
  datasetById,
  datasetByName,
  datasetUnits,
  datasetValues,
  deleteDatasetRow,
  deleteFrameworkRow,
  deleteRunRow,
  frameworkById,
  frameworkByKey,
  frameworkSummaryRow,
  insertDataset,
  insertFramework,
  insertRun,
  insertVersion,
  listDatasets,
  listFrameworks,
  listRuns,
  listVersions,
  nodesOf,
  runById,
  runResults,
  updateFrameworkRow,
  versionOf,
  type DatasetRow,
  type FrameworkListRow,
  type RunResultRow,
  type RunRow,
  type VersionRow,
} from './indicators.repo.ts';
import type {
  AhpTableReply,
  AhpInput,
  AhpReply,
  DatasetCreateInput,
  DatasetDetail,
  DatasetSummary,
  Explain,
  FrameworkCreateInput,
  FrameworkDetail,
  FrameworkPatch,
  FrameworkSummary,
  NodeDto,
  ReproduceResult,
  RunCreateInput,
  RunDetail,
  RunSummary,
  RunUnit,
  TreeNode,
  UncertaintyReply,
  VersionCreateInput,
  VersionDto,
} from './indicators.schema.ts';

// ---------------------------------------------------------------------------------------------
// Access

const READERS: ReadonlySet<Actor['role']> = new Set(['admin', 'system', 'bureau', 'evaluator']);
const WRITERS: ReadonlySet<Actor['role']> = new Set(['admin', 'system', 'evaluator']);

type Kind = 'indicator_frameworks' | 'evaluations';

/** Refuses (403) unless the actor may do `action` on the evaluation module's records of `kind`. */
export function assertIndicatorAccess(actor: Actor, action: Action, kind: Kind = 'evaluations'): void {
  const reading = action === 'read' || action === 'export';
  const roleOk = reading ? READERS.has(actor.role) : WRITERS.has(actor.role);
  // Evaluation records are internal: the policy shows them to evaluators and the bureau, not to the public.
  if (!roleOk || !can(actor, action, { kind, classification: 'internal' })) throw forbidden();
}

// ---------------------------------------------------------------------------------------------
// Errors

const frameworkNotFound = (ref: string | number) =>
  new AppError('FRAMEWORK_NOT_FOUND', 404, `未找到指标框架：${ref}`, `No indicator framework ${ref}`, [{ field: 'framework', value: String(ref) }]);
const versionNotFound = (fw: string | number, v: number) =>
  new AppError('FRAMEWORK_VERSION_NOT_FOUND', 404, `指标框架 ${fw} 没有版本 ${v}`, `Indicator framework ${fw} has no version ${v}`, [{ field: 'version', value: v }]);
const datasetNotFound = (ref: string | number) => new AppError('DATASET_NOT_FOUND', 404, `未找到数据集：${ref}`, `No data set ${ref}`, [{ field: 'dataset', value: String(ref) }]);
const runNotFound = (ref: string | number) => new AppError('RUN_NOT_FOUND', 404, `未找到评价运行：${ref}`, `No evaluation run ${ref}`, [{ field: 'run', value: String(ref) }]);

async function write<T>(ctx: ServiceContext, fn: (tx: Sql) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.transaction(fn);
  } catch (e) {
    throw translatePgError(e);
  }
}

const iso = (d: Date | string): string => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

// ---------------------------------------------------------------------------------------------
// Frameworks

function summaryDto(r: FrameworkListRow): FrameworkSummary {
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    name_en: r.name_en,
    description: r.description,
    builtin: r.builtin,
    latest_version: r.latest_version,
    indicators: r.indicators,
    datasets: r.datasets,
    runs: r.runs,
    updated_at: iso(r.updated_at),
  };
}

function versionDto(v: VersionRow): VersionDto {
  return {
    id: v.id,
    version: v.version,
    label: v.label,
    note: v.note,
    default_methods: v.default_methods,
    source_file: v.source_file,
    source_format: v.source_format,
    created_by: v.created_by,
    created_at: iso(v.created_at),
  };
}

/** The nested tree (index → dimensions → indicators) of a version's nodes. */
export function treeOf(nodes: readonly NodeDto[]): TreeNode {
  const inTree = nodes.filter((n) => n.type === 'indicator' || n.type === 'aggregate');
  const byParent = new Map<string | null, NodeDto[]>();
  for (const n of inTree) byParent.set(n.parent, [...(byParent.get(n.parent) ?? []), n]);
  const build = (n: NodeDto): TreeNode => ({ ...n, children: (byParent.get(n.code) ?? []).map(build) });
  return build(inTree.find((n) => n.parent === null && n.type === 'aggregate')!);
}

/** The engine's framework version label of a stored version. */
const engineVersion = (key: string, v: number) => `${key}@v${v}`;

export async function listFrameworkSummaries(ctx: ServiceContext): Promise<FrameworkSummary[]> {
  assertIndicatorAccess(ctx.actor, 'read', 'indicator_frameworks');
  return (await listFrameworks(ctx.db)).map(summaryDto);
}

/** A framework by id or key. */
async function frameworkRef(db: Sql, ref: number | string) {
  const f = typeof ref === 'number' ? await frameworkById(db, ref) : /^\d+$/.test(ref) ? await frameworkById(db, Number(ref)) : await frameworkByKey(db, ref);
  if (!f) throw frameworkNotFound(ref);
  return f;
}

async function detail(db: Sql, frameworkId: number, version?: number): Promise<FrameworkDetail> {
  const v = await versionOf(db, frameworkId, version);
  if (!v) throw versionNotFound(frameworkId, version ?? 0);
  const s = await frameworkSummaryRow(db, frameworkId, v.id);
  if (!s) throw frameworkNotFound(frameworkId);
  const nodes = await nodesOf(db, v.id);
  return { ...summaryDto(s), version: versionDto(v), nodes, tree: treeOf(nodes) };
}

/** A framework with one of its versions (the latest by default): nodes and nested tree. */
export async function getFramework(ctx: ServiceContext, ref: number | string, version?: number): Promise<FrameworkDetail> {
  assertIndicatorAccess(ctx.actor, 'read', 'indicator_frameworks');
  const f = await frameworkRef(ctx.db, ref);
  return detail(ctx.db, f.id, version);
}

export async function listFrameworkVersions(ctx: ServiceContext, ref: number | string): Promise<VersionDto[]> {
  assertIndicatorAccess(ctx.actor, 'read', 'indicator_frameworks');
  const f = await frameworkRef(ctx.db, ref);
  return (await listVersions(ctx.db, f.id)).map(versionDto);
}

/** Checks default methods by resolving them against the framework (unknown codes are refused). */
function checkDefaultMethods(fw: Framework, m: Record<string, unknown> | null | undefined): void {
  if (!m) return;
  try {
    // The nominal part of a run on a one-unit table exercises every reference check without data.
    const probe: DataTable = { units: ['_'], codes: [...fw.indicators], values: [fw.indicators.map(() => null)] };
    prepareComposite(fw, probe, { ...(m as Methods), uncertainty: null, zeroVariance: 'drop' });
  } catch (e) {
    // Only reference errors matter here; a one-unit table without data cannot score anyway.
    if (e instanceof AppError && ['UNKNOWN_INDICATOR', 'UNKNOWN_METHOD', 'GOALPOSTS_MISSING'].includes(e.code)) throw e;
  }
}

interface NewFramework {
  key: string;
  name: string;
  name_en?: string | null;
  description?: string | null;
  builtin?: boolean;
}
interface NewVersion {
  label?: string | null;
  note?: string | null;
  default_methods?: Record<string, unknown> | null;
  source_file?: string | null;
  source_format: string;
}

const frameworkExists = (key: string) =>
  conflict('FRAMEWORK_EXISTS', `指标框架代码已存在：${key}（如需修改请新建版本）`, `An indicator framework with key ${key} exists already (add a version to change it)`, [{ field: 'key', value: key }]);

async function storeFramework(ctx: ServiceContext, f: NewFramework, v: NewVersion, nodes: NodeDto[], framework: Framework): Promise<FrameworkDetail> {
  checkDefaultMethods(framework, v.default_methods);
  const id = await write(ctx, async (tx) => {
    if (await frameworkByKey(tx, f.key)) throw frameworkExists(f.key);
    const row = await insertFramework(tx, { ...f, created_by: ctx.actor.name });
    const ver = await insertVersion(tx, row.id, { ...v, created_by: ctx.actor.name }, nodes);
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'create',
      entity: 'indicator_framework',
      entityId: row.id,
      after: { key: f.key, name: f.name, version: ver.version, source_file: v.source_file ?? null, indicators: framework.indicators.length },
      requestId: ctx.requestId,
    });
    return row.id;
  });
  return detail(ctx.db, id);
}

/** Creates a framework (version 1) from nodes sent as JSON. */
export async function createFramework(ctx: ServiceContext, input: FrameworkCreateInput): Promise<FrameworkDetail> {
  assertIndicatorAccess(ctx.actor, 'create', 'indicator_frameworks');
  if (await frameworkByKey(ctx.db, input.key)) throw frameworkExists(input.key);
  const { nodes, framework } = normaliseNodes(input.nodes as Record<string, unknown>[], engineVersion(input.key, 1));
  return storeFramework(
    ctx,
    { key: input.key, name: input.name, name_en: input.name_en, description: input.description },
    { label: input.label, note: input.note, default_methods: input.default_methods ?? null, source_format: 'api' },
    nodes,
    framework,
  );
}

/** A framework key from a file name: lower-case ASCII, or a short hash for names without any. */
export function keyFromFileName(fileName: string): string {
  const base = path.basename(fileName, path.extname(fileName)).toLowerCase();
  const slug = base.replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-_.]+|[-_.]+$/g, '').slice(0, 64);
  if (slug) return slug;
  let h = 0;
  for (const ch of base) h = (Math.imul(h, 31) + ch.codePointAt(0)!) | 0;
  return `framework-${(h >>> 0).toString(36)}`;
}

export interface FrameworkImportOptions {
  key?: string;
  name?: string;
  name_en?: string;
  description?: string;
  label?: string;
  note?: string;
  sheet?: string | number;
  builtin?: boolean;
}

/** Imports a framework file (CSV/XLSX iMeta, YAML, JSON) as a new framework. */
export async function importFramework(ctx: ServiceContext, file: FileInput, opts: FrameworkImportOptions = {}): Promise<FrameworkDetail> {
  assertIndicatorAccess(ctx.actor, 'create', 'indicator_frameworks');
  const p = await parseFrameworkFile({ ...file, limits: ctx.config.readLimits }, opts.sheet);
  return storeParsed(ctx, p, file, opts);
}

function storeParsed(ctx: ServiceContext, p: ParsedFramework, file: FileInput, opts: FrameworkImportOptions): Promise<FrameworkDetail> {
  const fileName = fileNameOf(file);
  const key = opts.key ?? p.meta.key ?? keyFromFileName(fileName);
  const name = opts.name ?? p.meta.name ?? path.basename(fileName, path.extname(fileName));
  const description = opts.description ?? [p.meta.description, p.meta.source ? `出处 / Source: ${p.meta.source}` : null].filter(Boolean).join('\n\n');
  return storeFramework(
    ctx,
    { key, name, name_en: opts.name_en ?? p.meta.name_en ?? null, description: description || null, builtin: opts.builtin ?? false },
    { label: opts.label ?? p.meta.label ?? null, note: opts.note ?? null, default_methods: p.meta.methods ?? null, source_file: fileName, source_format: p.format },
    p.nodes,
    p.framework,
  );
}

async function storeVersion(ctx: ServiceContext, frameworkId: number, v: NewVersion, nodes: NodeDto[], framework: Framework): Promise<FrameworkDetail> {
  checkDefaultMethods(framework, v.default_methods);
  await write(ctx, async (tx) => {
    const ver = await insertVersion(tx, frameworkId, { ...v, created_by: ctx.actor.name }, nodes);
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'update',
      entity: 'indicator_framework',
      entityId: frameworkId,
      after: { version: ver.version, label: v.label ?? null, source_file: v.source_file ?? null, indicators: framework.indicators.length },
      requestId: ctx.requestId,
    });
  });
  return detail(ctx.db, frameworkId);
}

/** Adds a version (the edited tree) to a framework; earlier versions and their runs stay as they were. */
export async function addFrameworkVersion(ctx: ServiceContext, ref: number | string, input: VersionCreateInput): Promise<FrameworkDetail> {
  assertIndicatorAccess(ctx.actor, 'update', 'indicator_frameworks');
  const f = await frameworkRef(ctx.db, ref);
  const { nodes, framework } = normaliseNodes(input.nodes as Record<string, unknown>[], engineVersion(f.key, 0));
  const prev = await versionOf(ctx.db, f.id);
  const defaults = input.default_methods === undefined ? (prev?.default_methods ?? null) : input.default_methods;
  return storeVersion(ctx, f.id, { label: input.label, note: input.note, default_methods: defaults, source_format: 'api' }, nodes, framework);
}

/** Adds a version from a framework file. */
export async function importFrameworkVersion(ctx: ServiceContext, ref: number | string, file: FileInput, opts: FrameworkImportOptions = {}): Promise<FrameworkDetail> {
  assertIndicatorAccess(ctx.actor, 'update', 'indicator_frameworks');
  const f = await frameworkRef(ctx.db, ref);
  const p = await parseFrameworkFile({ ...file, limits: ctx.config.readLimits }, opts.sheet);
  const prev = await versionOf(ctx.db, f.id);
  return storeVersion(
    ctx,
    f.id,
    { label: opts.label ?? p.meta.label ?? null, note: opts.note ?? null, default_methods: p.meta.methods ?? prev?.default_methods ?? null, source_file: fileNameOf(file), source_format: p.format },
    p.nodes,
    p.framework,
  );
}

export async function updateFramework(ctx: ServiceContext, ref: number | string, patch: FrameworkPatch): Promise<FrameworkDetail> {
  assertIndicatorAccess(ctx.actor, 'update', 'indicator_frameworks');
  const f = await frameworkRef(ctx.db, ref);
  await write(ctx, async (tx) => {
    await updateFrameworkRow(tx, f.id, patch);
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'update',
      entity: 'indicator_framework',
      entityId: f.id,
      before: { name: f.name, name_en: f.name_en, description: f.description },
      after: patch,
      requestId: ctx.requestId,
    });
  });
  return detail(ctx.db, f.id);
}

/** Deletes a framework with its versions and data sets; refused while runs rest on it. */
export async function deleteFramework(ctx: ServiceContext, ref: number | string): Promise<void> {
  assertIndicatorAccess(ctx.actor, 'delete', 'indicator_frameworks');
  const f = await frameworkRef(ctx.db, ref);
  const runs = await countRuns(ctx.db, { frameworkId: f.id });
  if (runs > 0) {
    throw conflict('FRAMEWORK_HAS_RUNS', `指标框架 ${f.key} 已有 ${runs} 次评价运行，请先删除这些运行`, `Indicator framework ${f.key} has ${runs} evaluation runs; delete them first`, [{ field: 'framework', value: f.id, runs }]);
  }
  await write(ctx, async (tx) => {
    await deleteFrameworkRow(tx, f.id);
    await recordAudit(tx, { actor: ctx.actor, action: 'delete', entity: 'indicator_framework', entityId: f.id, before: { key: f.key, name: f.name }, requestId: ctx.requestId });
  });
}

// ---------------------------------------------------------------------------------------------
// Data sets

function datasetDto(d: DatasetRow): DatasetSummary {
  return {
    id: d.id,
    framework_id: d.framework_id,
    name: d.name,
    description: d.description,
    source_file: d.source_file,
    source_format: d.source_format,
    columns: d.columns,
    group_columns: d.group_columns,
    units: d.unit_count,
    panel: d.panel,
    runs: d.runs,
    created_by: d.created_by,
    created_at: iso(d.created_at),
  };
}

export async function listDatasetSummaries(ctx: ServiceContext, frameworkRefValue?: number | string): Promise<DatasetSummary[]> {
  assertIndicatorAccess(ctx.actor, 'read');
  const fid = frameworkRefValue === undefined ? undefined : (await frameworkRef(ctx.db, frameworkRefValue)).id;
  return (await listDatasets(ctx.db, fid)).map(datasetDto);
}

const text = (v: unknown): string | null => (v === null || v === undefined || String(v).trim() === '' || v === 'NA' ? null : String(v).trim());

/** Stores a shaped data table; the engine first checks it against the framework's latest version. */
async function storeDataset(ctx: ServiceContext, frameworkId: number, meta: { name: string; description?: string | null; source_file: string | null }, d: ParsedData): Promise<DatasetDetail> {
  const f = await frameworkRef(ctx.db, frameworkId);
  const v = (await versionOf(ctx.db, f.id))!;
  const fw = frameworkOf(await nodesOf(ctx.db, v.id), engineVersion(f.key, v.version));
  // Refuses missing indicator columns, non-numeric cells and duplicate units, with rows and columns.
  buildDataTable(fw, d.rows);
  const units = d.rows.map((r, i) => {
    const t = d.panel ? parseCell(r.Time) : null;
    return {
      position: i,
      code: String(r.uCode ?? '').trim(),
      // As buildDataTable reads it (not trimmed), so the stored table hashes as the file did.
      name: r.uName === undefined || r.uName === null ? null : String(r.uName),
      time: t === 'invalid' ? null : t,
      groups: Object.fromEntries(d.groupColumns.map((g) => [g, text(r[g])])),
    };
  });
  const values: { position: number; code: string; value: number }[] = [];
  d.rows.forEach((r, i) => {
    for (const c of d.columns) {
      const x = parseCell(r[c]);
      if (typeof x === 'number') values.push({ position: i, code: c, value: x });
    }
  });
  const id = await write(ctx, async (tx) => {
    if (await datasetByName(tx, f.id, meta.name)) {
      throw conflict('DATASET_EXISTS', `指标框架 ${f.key} 下已有同名数据集：${meta.name}`, `Framework ${f.key} already has a data set named ${meta.name}`, [{ field: 'name', value: meta.name }]);
    }
    const dsId = await insertDataset(
      tx,
      { framework_id: f.id, name: meta.name, description: meta.description ?? null, source_file: meta.source_file, source_format: d.format === 'json' && meta.source_file === null ? 'api' : d.format, columns: d.columns, group_columns: d.groupColumns, panel: d.panel, created_by: ctx.actor.name },
      units,
      values,
    );
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'import',
      entity: 'indicator_dataset',
      entityId: dsId,
      after: { framework: f.key, name: meta.name, source_file: meta.source_file, units: units.length, columns: d.columns.length, values: values.length },
      requestId: ctx.requestId,
    });
    return dsId;
  });
  const out = await datasetDetail(ctx.db, id);
  return d.ignored.length ? { ...out, ignored_columns: d.ignored } : out;
}

/** Creates a data set from iData rows sent as JSON. */
export async function createDataset(ctx: ServiceContext, input: DatasetCreateInput): Promise<DatasetDetail> {
  assertIndicatorAccess(ctx.actor, 'create');
  const f = await frameworkRef(ctx.db, input.framework_id);
  const v = (await versionOf(ctx.db, f.id))!;
  const shaped = shapeRowsJson(await nodesOf(ctx.db, v.id), input.rows);
  return storeDataset(ctx, f.id, { name: input.name, description: input.description, source_file: null }, shaped);
}

/** Imports a data set from an iData file (CSV/XLSX/JSON). */
export async function importDataset(ctx: ServiceContext, frameworkRefValue: number | string, file: FileInput, opts: { name?: string; description?: string; sheet?: string | number } = {}): Promise<DatasetDetail> {
  assertIndicatorAccess(ctx.actor, 'create');
  const f = await frameworkRef(ctx.db, frameworkRefValue);
  const v = (await versionOf(ctx.db, f.id))!;
  const shaped = await parseDataFile(await nodesOf(ctx.db, v.id), { ...file, limits: ctx.config.readLimits }, opts.sheet);
  const fileName = fileNameOf(file);
  return storeDataset(ctx, f.id, { name: opts.name ?? path.basename(fileName, path.extname(fileName)), description: opts.description, source_file: fileName }, shaped);
}

/** The stored rows of a data set as iData row objects (what buildDataTable reads). */
async function datasetRowObjects(db: Sql, d: DatasetRow): Promise<Record<string, string | number | null>[]> {
  const units = await datasetUnits(db, d.id);
  const rows: Record<string, string | number | null>[] = units.map((u) => {
    const r: Record<string, string | number | null> = { uCode: u.code, uName: u.name };
    if (d.panel) r.Time = u.time;
    for (const g of d.group_columns) r[g] = u.groups[g] ?? null;
    for (const c of d.columns) r[c] = null;
    return r;
  });
  for (const v of await datasetValues(db, d.id)) rows[v.position][v.code] = v.value;
  return rows;
}

/** A stored data set as the engine's table for framework `fw` (what runs are computed on). */
export async function storedDataTable(db: Sql, datasetId: number, fw: Framework): Promise<DataTable> {
  const d = await datasetById(db, datasetId);
  if (!d) throw datasetNotFound(datasetId);
  return buildDataTable(fw, await datasetRowObjects(db, d));
}

async function datasetDetail(db: Sql, id: number): Promise<DatasetDetail> {
  const d = await datasetById(db, id);
  if (!d) throw datasetNotFound(id);
  const units = await datasetUnits(db, id);
  const values = await datasetValues(db, id);
  const rows = units.map((u) => ({ code: u.code, name: u.name, time: u.time, groups: u.groups, values: Object.fromEntries(d.columns.map((c) => [c, null])) as Record<string, number | null> }));
  for (const v of values) rows[v.position].values[v.code] = v.value;
  return { ...datasetDto(d), rows };
}

export async function getDataset(ctx: ServiceContext, id: number): Promise<DatasetDetail> {
  assertIndicatorAccess(ctx.actor, 'read');
  return datasetDetail(ctx.db, id);
}

/** Deletes a data set; refused while runs rest on it. */
export async function deleteDataset(ctx: ServiceContext, id: number): Promise<void> {
  assertIndicatorAccess(ctx.actor, 'delete');
  const d = await datasetById(ctx.db, id);
  if (!d) throw datasetNotFound(id);
  if (d.runs > 0) throw conflict('DATASET_IN_USE', `数据集 ${d.name} 已被 ${d.runs} 次评价运行使用，请先删除这些运行`, `Data set ${d.name} is used by ${d.runs} evaluation runs; delete them first`, [{ field: 'dataset', value: id, runs: d.runs }]);
  await write(ctx, async (tx) => {
    await deleteDatasetRow(tx, id);
    await recordAudit(tx, { actor: ctx.actor, action: 'delete', entity: 'indicator_dataset', entityId: id, before: { name: d.name, framework_id: d.framework_id, units: d.unit_count }, requestId: ctx.requestId });
  });
}

// ---------------------------------------------------------------------------------------------
// Runs

/** Everything a run is computed from, loaded from the store. */
interface RunInputs {
  framework: Awaited<ReturnType<typeof frameworkRef>>;
  version: VersionRow;
  nodes: NodeDto[];
  fw: Framework;
  dataset: DatasetRow;
  data: DataTable;
}

async function loadInputs(db: Sql, frameworkId: number, versionId: number | { version?: number }, datasetId: number): Promise<RunInputs> {
  const framework = await frameworkRef(db, frameworkId);
  const version = typeof versionId === 'number' ? (await listVersions(db, framework.id)).find((v) => v.id === versionId) : await versionOf(db, framework.id, versionId.version);
  if (!version) throw versionNotFound(framework.key, typeof versionId === 'number' ? versionId : (versionId.version ?? 0));
  const dataset = await datasetById(db, datasetId);
  if (!dataset) throw datasetNotFound(datasetId);
  if (dataset.framework_id !== framework.id) {
    throw new AppError('DATASET_FRAMEWORK_MISMATCH', 400, `数据集 ${dataset.name} 不属于指标框架 ${framework.key}`, `Data set ${dataset.name} does not belong to framework ${framework.key}`, [{ field: 'dataset_id', value: datasetId }]);
  }
  const nodes = await nodesOf(db, version.id);
  const fw = frameworkOf(nodes, engineVersion(framework.key, version.version));
  const data = buildDataTable(fw, await datasetRowObjects(db, dataset));
  return { framework, version, nodes, fw, dataset, data };
}

const fin = (x: number | null | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

function resultRows(r: CompositeResult): RunResultRow[] {
  return r.units.map((u, i) => ({
    position: i,
    unit: u.unit,
    name: u.name,
    score: fin(u.score),
    rank: fin(u.rank),
    median_rank: fin(u.median_rank),
    rank_lo: u.rank_interval ? u.rank_interval[0] : null,
    rank_hi: u.rank_interval ? u.rank_interval[1] : null,
    dimensions: Object.fromEntries(Object.entries(u.dimensions).map(([k, d]) => [k, { score: fin(d.score), rank: fin(d.rank) }])),
  }));
}

function unitDto(x: RunResultRow): RunUnit {
  return {
    unit: x.unit,
    name: x.name,
    score: x.score,
    rank: x.rank,
    rank_interval: x.rank_lo === null || x.rank_hi === null ? null : [x.rank_lo, x.rank_hi],
    median_rank: x.median_rank,
    dimensions: x.dimensions,
  };
}

function runSummaryDto(r: RunRow): RunSummary {
  return {
    id: r.id,
    label: r.label,
    framework: { id: r.framework_id, key: r.framework_key, name: r.framework_name },
    version: r.version,
    dataset: { id: r.dataset_id, name: r.dataset_name },
    seed: r.seed,
    engine_version: r.engine_version,
    data_hash: r.data_hash,
    units_in: r.units_in,
    units_out: r.units_out,
    replications: r.replications,
    duration_ms: r.duration_ms,
    created_by: r.created_by,
    created_at: iso(r.created_at),
  };
}

export interface RunComputeOptions {
  onProgress?: (done: number, total: number) => void;
}

/** Computes a run from stored inputs and stores it with its results; returns the run id and the engine result. */
export async function computeAndStoreRun(ctx: ServiceContext, input: RunCreateInput, opts: RunComputeOptions = {}): Promise<{ id: number; result: CompositeResult }> {
  assertIndicatorAccess(ctx.actor, 'create');
  const inputs = await loadInputs(ctx.db, input.framework_id, { version: input.version }, input.dataset_id);
  const { label, framework_id: _f, version: _v, dataset_id: _d, seed, ...options } = input;
  const methods = methodsFromRunOptions(options, (inputs.version.default_methods as Methods | null) ?? null);
  const started = performance.now();
  const r = await runComposite(inputs.fw, inputs.data, methods, { ...(seed !== undefined ? { seed } : {}), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  const duration = Math.round(performance.now() - started);
  const prov = r.diagnostics.provenance;
  const id = await write(ctx, async (tx) => {
    const runId = await insertRun(
      tx,
      {
        framework_id: inputs.framework.id,
        version_id: inputs.version.id,
        dataset_id: inputs.dataset.id,
        label: label ?? null,
        request: input as unknown as Record<string, unknown>,
        methods: prov.methods as unknown as Record<string, unknown>,
        seed: prov.seed,
        engine_version: prov.engine_version,
        data_hash: prov.data_hash,
        units_in: prov.units_in,
        units_out: prov.units_out,
        replications: r.diagnostics.uncertainty?.replications ?? null,
        weights: r.weights,
        node_weights: r.node_weights,
        diagnostics: r.diagnostics as unknown as Record<string, unknown>,
        duration_ms: duration,
        created_by: ctx.actor.name,
      },
      resultRows(r),
    );
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'create',
      entity: 'indicator_run',
      entityId: runId,
      after: { framework: inputs.framework.key, version: inputs.version.version, dataset: inputs.dataset.id, seed: prov.seed, data_hash: prov.data_hash, methods: prov.methods, units: r.units.length },
      requestId: ctx.requestId,
    });
    return runId;
  });
  return { id, result: r };
}

/** Runs the engine on a stored framework version and data set, stores the run, returns it. */
export async function createRun(ctx: ServiceContext, input: RunCreateInput, opts: RunComputeOptions = {}): Promise<RunDetail> {
  const { id } = await computeAndStoreRun(ctx, input, opts);
  return runDetail(ctx.db, id, false);
}

async function runDetail(db: Sql, id: number, withDiagnostics: boolean): Promise<RunDetail> {
  const r = await runById(db, id, true);
  if (!r) throw runNotFound(id);
  const units = (await runResults(db, id)).map(unitDto);
  const { warnings, ...rest } = r.diagnostics as { warnings?: RunDetail['warnings'] } & Record<string, unknown>;
  return {
    ...runSummaryDto(r),
    request: r.request,
    methods: r.methods,
    units,
    weights: r.weights,
    node_weights: r.node_weights,
    warnings: warnings ?? [],
    ...(withDiagnostics ? { diagnostics: rest } : {}),
  };
}

export async function getRun(ctx: ServiceContext, id: number, opts: { diagnostics?: boolean } = {}): Promise<RunDetail> {
  assertIndicatorAccess(ctx.actor, 'read');
  return runDetail(ctx.db, id, opts.diagnostics ?? false);
}

export async function listRunSummaries(ctx: ServiceContext, filter: { framework?: number | string; dataset?: number } = {}): Promise<RunSummary[]> {
  assertIndicatorAccess(ctx.actor, 'read');
  const frameworkId = filter.framework === undefined ? undefined : (await frameworkRef(ctx.db, filter.framework)).id;
  return (await listRuns(ctx.db, { frameworkId, datasetId: filter.dataset })).map(runSummaryDto);
}

export async function deleteRun(ctx: ServiceContext, id: number): Promise<void> {
  assertIndicatorAccess(ctx.actor, 'delete');
  const r = await runById(ctx.db, id);
  if (!r) throw runNotFound(id);
  await write(ctx, async (tx) => {
    await deleteRunRow(tx, id);
    await recordAudit(tx, { actor: ctx.actor, action: 'delete', entity: 'indicator_run', entityId: id, before: { framework: r.framework_key, version: r.version, dataset: r.dataset_id, seed: r.seed, data_hash: r.data_hash }, requestId: ctx.requestId });
  });
}

/** A stored run's inputs and its nominal part recomputed (no Monte Carlo): every intermediate table. */
export async function recomputeNominal(db: Sql, run: RunRow): Promise<{ inputs: RunInputs; result: CompositeResult }> {
  const inputs = await loadInputs(db, run.framework_id, run.version_id, run.dataset_id);
  const p = prepareComposite(inputs.fw, inputs.data, run.methods as Methods, { seed: run.seed });
  return { inputs, result: p.result as CompositeResult };
}

/** "Why this score": the unit's raw and normalised values, weights and contributions. */
export async function explainRun(ctx: ServiceContext, id: number, unit: string): Promise<Explain> {
  assertIndicatorAccess(ctx.actor, 'read');
  const run = await runById(ctx.db, id);
  if (!run) throw runNotFound(id);
  const stored = (await runResults(ctx.db, id)).find((x) => x.unit === unit);
  if (!stored) {
    throw new AppError('UNIT_NOT_IN_RUN', 404, `评价运行 ${id} 中没有单位：${unit}`, `Evaluation run ${id} has no unit ${unit}`, [{ field: 'unit', value: unit }]);
  }
  const { inputs, result } = await recomputeNominal(ctx.db, run);
  return explainUnit(id, inputs.fw, inputs.nodes, result, unit, stored.score);
}

/**
 * Re-runs a stored run from the stored framework version, data set, resolved methods and seed,
 * and compares every published figure with the stored one.
 */
export async function reproduceRun(ctx: ServiceContext, id: number): Promise<ReproduceResult> {
  assertIndicatorAccess(ctx.actor, 'read');
  const run = await runById(ctx.db, id);
  if (!run) throw runNotFound(id);
  const inputs = await loadInputs(ctx.db, run.framework_id, run.version_id, run.dataset_id);
  const r = await runComposite(inputs.fw, inputs.data, run.methods as Methods, { seed: run.seed });
  const now = new Map(resultRows(r).map((x) => [x.unit, x]));
  const stored = await runResults(ctx.db, id);
  let maxDiff = 0;
  let ranks = 0;
  let intervals = 0;
  let missing = 0;
  for (const s of stored) {
    const n = now.get(s.unit);
    if (!n) {
      missing++;
      continue;
    }
    if ((s.score === null) !== (n.score === null)) maxDiff = Infinity;
    else if (s.score !== null && n.score !== null) maxDiff = Math.max(maxDiff, Math.abs(s.score - n.score));
    if (s.rank !== n.rank) ranks++;
    if (s.rank_lo !== n.rank_lo || s.rank_hi !== n.rank_hi || s.median_rank !== n.median_rank) intervals++;
  }
  const hash = r.diagnostics.provenance.data_hash;
  const sameUnits = missing === 0 && now.size === stored.length;
  return {
    run: id,
    reproduced: sameUnits && hash === run.data_hash && maxDiff === 0 && ranks === 0 && intervals === 0,
    data_hash: hash,
    data_hash_matches: hash === run.data_hash,
    engine_version: ENGINE_VERSION,
    engine_version_matches: ENGINE_VERSION === run.engine_version,
    units_compared: stored.length - missing,
    max_score_diff: Number.isFinite(maxDiff) ? maxDiff : Number.MAX_VALUE,
    rank_differences: ranks + missing,
    interval_differences: intervals,
  };
}

/** The stored Monte-Carlo summary, sensitivity indices and leave-one-out shifts of a run. */
export async function runUncertainty(ctx: ServiceContext, id: number): Promise<UncertaintyReply> {
  assertIndicatorAccess(ctx.actor, 'read');
  const run = await runById(ctx.db, id, true);
  if (!run) throw runNotFound(id);
  const u = run.diagnostics.uncertainty as UncertaintySummary | null;
  if (!u) {
    throw new AppError('RUN_NO_UNCERTAINTY', 404, `评价运行 ${id} 没有做不确定性分析（请以 uncertainty = N 重新运行）`, `Evaluation run ${id} has no uncertainty analysis (run again with uncertainty = N)`, [{ field: 'run', value: id }]);
  }
  return {
    run: id,
    seed: u.seed,
    replications: u.replications,
    samples: u.samples,
    quantiles: u.quantiles,
    factors: u.factors,
    units: u.units,
    sensitivity: u.sensitivity,
    output: u.output,
    leave_one_out: (run.diagnostics.leave_one_out as UncertaintyReply['leave_one_out']) ?? null,
  };
}

/** Loads a run for export: the stored run and results, and the recomputed intermediate tables. */
export async function runForExport(ctx: ServiceContext, id: number): Promise<{ run: RunDetail; result: CompositeResult; nodes: NodeDto[] }> {
  assertIndicatorAccess(ctx.actor, 'export');
  const row = await runById(ctx.db, id);
  if (!row) throw runNotFound(id);
  const run = await runDetail(ctx.db, id, true);
  const { inputs, result } = await recomputeNominal(ctx.db, row);
  return { run, result, nodes: inputs.nodes };
}

// ---------------------------------------------------------------------------------------------
// AHP

/** Eigenvector weights and consistency ratio of one pairwise matrix (no refusal on CR: for live display). */
export function ahp(ctx: ServiceContext, input: AhpInput): AhpReply {
  assertIndicatorAccess(ctx.actor, 'read');
  const r = ahpAnalyse({
    parent: input.parent ?? 'AHP',
    codes: input.codes,
    ...(input.matrix ? { matrix: input.matrix as number[][] } : {}),
    ...(input.comparisons ? { comparisons: input.comparisons } : {}),
  });
  const threshold = input.cr_threshold ?? 0.1;
  return {
    codes: r.codes,
    weights: Object.fromEntries(r.codes.map((c, i) => [c, r.weights[i]])),
    lambda_max: r.lambdaMax,
    ci: r.ci,
    ri: r.ri,
    cr: r.cr,
    threshold,
    consistent: r.cr < threshold,
  };
}

/**
 * Reads an uploaded table of AHP judgements (CSV or Excel: codes on the first row and column,
 * cells such as 3 and 1/3) into matrices with their weights and consistency ratios — what the AHP
 * dialog fills itself with. The table's form problems come back coded, at their row and column.
 */
export async function ahpTable(ctx: ServiceContext, file: FileInput): Promise<AhpTableReply> {
  assertIndicatorAccess(ctx.actor, 'read');
  const matrices = await parseAhpFile({ ...file, limits: ctx.config.readLimits });
  return {
    matrices: matrices.map((m) => ({ parent: m.parent, codes: [...m.codes], matrix: (m.matrix ?? []).map((row) => [...row]), result: ahp(ctx, { parent: m.parent, codes: [...m.codes], matrix: m.matrix as number[][] }) })),
  };
}
