/**
 * SQL of the indicators area (migration 005): frameworks and their immutable versions with
 * nodes, data sets with their units and values, runs with their per-unit results. The first
 * argument is the store or an open transaction.
 */
import type { Sql } from '../../store/db.ts';
import type { NodeDto } from './indicators.schema.ts';

export interface FrameworkRow {
  id: number;
  key: string;
  name: string;
  name_en: string | null;
  description: string | null;
  builtin: boolean;
  created_by: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface FrameworkListRow extends FrameworkRow {
  latest_version: number;
  indicators: number;
  datasets: number;
  runs: number;
}

export interface VersionRow {
  id: number;
  framework_id: number;
  version: number;
  label: string | null;
  note: string | null;
  default_methods: Record<string, unknown> | null;
  source_file: string | null;
  source_format: string;
  created_by: string | null;
  created_at: Date | string;
}

export interface DatasetRow {
  id: number;
  framework_id: number;
  name: string;
  description: string | null;
  source_file: string | null;
  source_format: string;
  columns: string[];
  group_columns: string[];
  unit_count: number;
  panel: boolean;
  created_by: string | null;
  created_at: Date | string;
  runs: number;
}

export interface DatasetUnitRow {
  position: number;
  code: string;
  name: string | null;
  time: number | null;
  groups: Record<string, string | null>;
}

export interface RunRow {
  id: number;
  framework_id: number;
  framework_key: string;
  framework_name: string;
  version_id: number;
  version: number;
  dataset_id: number;
  dataset_name: string;
  label: string | null;
  request: Record<string, unknown>;
  methods: Record<string, unknown>;
  seed: number;
  engine_version: string;
  data_hash: string;
  units_in: number;
  units_out: number;
  replications: number | null;
  weights: Record<string, number>;
  node_weights: Record<string, number>;
  diagnostics: Record<string, unknown>;
  duration_ms: number | null;
  created_by: string | null;
  created_at: Date | string;
}

export interface RunResultRow {
  position: number;
  unit: string;
  name: string | null;
  score: number | null;
  rank: number | null;
  median_rank: number | null;
  rank_lo: number | null;
  rank_hi: number | null;
  dimensions: Record<string, { score: number | null; rank: number | null }>;
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
/** PGlite and node-postgres both parse json; a string means it was stored as a JSON string. */
const parsed = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

// ---------------------------------------------------------------------------------------------
// Frameworks and versions

const FRAMEWORK_COLS = 'f.id, f.key, f.name, f.name_en, f.description, f.builtin, f.created_by, f.created_at, f.updated_at';

export async function listFrameworks(db: Sql): Promise<FrameworkListRow[]> {
  return db.query<FrameworkListRow>(
    `SELECT ${FRAMEWORK_COLS},
            v.version AS latest_version,
            (SELECT count(*)::int FROM indicator_nodes n WHERE n.version_id = v.id AND n.type = 'indicator') AS indicators,
            (SELECT count(*)::int FROM indicator_datasets d WHERE d.framework_id = f.id) AS datasets,
            (SELECT count(*)::int FROM indicator_runs r WHERE r.framework_id = f.id) AS runs
       FROM indicator_frameworks f
       JOIN LATERAL (SELECT id, version FROM indicator_framework_versions WHERE framework_id = f.id ORDER BY version DESC LIMIT 1) v ON true
      ORDER BY f.builtin DESC, f.id`,
  );
}

export async function frameworkSummaryRow(db: Sql, id: number, versionId: number): Promise<FrameworkListRow | null> {
  const [r] = await db.query<FrameworkListRow>(
    `SELECT ${FRAMEWORK_COLS},
            (SELECT max(version) FROM indicator_framework_versions WHERE framework_id = f.id) AS latest_version,
            (SELECT count(*)::int FROM indicator_nodes n WHERE n.version_id = $2 AND n.type = 'indicator') AS indicators,
            (SELECT count(*)::int FROM indicator_datasets d WHERE d.framework_id = f.id) AS datasets,
            (SELECT count(*)::int FROM indicator_runs r WHERE r.framework_id = f.id) AS runs
       FROM indicator_frameworks f WHERE f.id = $1`,
    [id, versionId],
  );
  return r ?? null;
}

export async function frameworkById(db: Sql, id: number): Promise<FrameworkRow | null> {
  const [r] = await db.query<FrameworkRow>(`SELECT ${FRAMEWORK_COLS} FROM indicator_frameworks f WHERE f.id = $1`, [id]);
  return r ?? null;
}

export async function frameworkByKey(db: Sql, key: string): Promise<FrameworkRow | null> {
  const [r] = await db.query<FrameworkRow>(`SELECT ${FRAMEWORK_COLS} FROM indicator_frameworks f WHERE f.key = $1`, [key]);
  return r ?? null;
}

export async function insertFramework(tx: Sql, f: { key: string; name: string; name_en?: string | null; description?: string | null; builtin?: boolean; created_by: string }): Promise<FrameworkRow> {
  const [r] = await tx.query<FrameworkRow>(
    `INSERT INTO indicator_frameworks (key, name, name_en, description, builtin, created_by) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id, key, name, name_en, description, builtin, created_by, created_at, updated_at`,
    [f.key, f.name, f.name_en ?? null, f.description ?? null, f.builtin ?? false, f.created_by],
  );
  return r;
}

export async function updateFrameworkRow(tx: Sql, id: number, patch: { name?: string; name_en?: string | null; description?: string | null }): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [id];
  for (const k of ['name', 'name_en', 'description'] as const) {
    if (patch[k] === undefined) continue;
    params.push(patch[k]);
    sets.push(`${k} = $${params.length}`);
  }
  await tx.query(`UPDATE indicator_frameworks SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1`, params);
}

export async function deleteFrameworkRow(tx: Sql, id: number): Promise<void> {
  await tx.query('DELETE FROM indicator_frameworks WHERE id = $1', [id]);
}

const VERSION_COLS = 'id, framework_id, version, label, note, default_methods, source_file, source_format, created_by, created_at';

function versionRow(r: VersionRow): VersionRow {
  return { ...r, default_methods: r.default_methods === null ? null : parsed(r.default_methods) };
}

/** Adds the next version of a framework with its nodes (the framework row is locked meanwhile). */
export async function insertVersion(
  tx: Sql,
  frameworkId: number,
  v: { label?: string | null; note?: string | null; default_methods?: Record<string, unknown> | null; source_file?: string | null; source_format: string; created_by: string },
  nodes: readonly NodeDto[],
): Promise<VersionRow> {
  await tx.query('SELECT id FROM indicator_frameworks WHERE id = $1 FOR UPDATE', [frameworkId]);
  const [r] = await tx.query<VersionRow>(
    `INSERT INTO indicator_framework_versions (framework_id, version, label, note, default_methods, source_file, source_format, created_by)
     VALUES ($1, (SELECT coalesce(max(version), 0) + 1 FROM indicator_framework_versions WHERE framework_id = $1), $2, $3, $4::json, $5, $6, $7)
     RETURNING ${VERSION_COLS}`,
    [frameworkId, v.label ?? null, v.note ?? null, json(v.default_methods), v.source_file ?? null, v.source_format, v.created_by],
  );
  const col = <K extends keyof NodeDto>(k: K) => nodes.map((n) => n[k]);
  await tx.query(
    `INSERT INTO indicator_nodes (version_id, position, code, name, name_en, type, level, parent, direction, weight, unit, source, target, denominator)
     SELECT $1, t.* FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::smallint[], $10::float8[], $11::text[], $12::text[], $13::float8[], $14::text[]) AS t`,
    [
      r.id,
      nodes.map((_, i) => i),
      col('code'),
      col('name'),
      col('name_en'),
      col('type'),
      col('level'),
      col('parent'),
      col('direction'),
      col('weight'),
      col('unit'),
      col('source'),
      col('target'),
      col('denominator'),
    ],
  );
  await tx.query('UPDATE indicator_frameworks SET updated_at = now() WHERE id = $1', [frameworkId]);
  return versionRow(r);
}

/** A framework's version (the latest when `version` is absent). */
export async function versionOf(db: Sql, frameworkId: number, version?: number): Promise<VersionRow | null> {
  const rows =
    version === undefined
      ? await db.query<VersionRow>(`SELECT ${VERSION_COLS} FROM indicator_framework_versions WHERE framework_id = $1 ORDER BY version DESC LIMIT 1`, [frameworkId])
      : await db.query<VersionRow>(`SELECT ${VERSION_COLS} FROM indicator_framework_versions WHERE framework_id = $1 AND version = $2`, [frameworkId, version]);
  return rows[0] ? versionRow(rows[0]) : null;
}

export async function versionById(db: Sql, id: number): Promise<VersionRow | null> {
  const [r] = await db.query<VersionRow>(`SELECT ${VERSION_COLS} FROM indicator_framework_versions WHERE id = $1`, [id]);
  return r ? versionRow(r) : null;
}

export async function listVersions(db: Sql, frameworkId: number): Promise<VersionRow[]> {
  return (await db.query<VersionRow>(`SELECT ${VERSION_COLS} FROM indicator_framework_versions WHERE framework_id = $1 ORDER BY version`, [frameworkId])).map(versionRow);
}

export async function nodesOf(db: Sql, versionId: number): Promise<NodeDto[]> {
  return db.query<NodeDto>(
    `SELECT code, name, name_en, type, level, parent, direction::int AS direction, weight, unit, source, target, denominator
       FROM indicator_nodes WHERE version_id = $1 ORDER BY position`,
    [versionId],
  );
}

// ---------------------------------------------------------------------------------------------
// Data sets

const DATASET_COLS = `d.id, d.framework_id, d.name, d.description, d.source_file, d.source_format, d.columns, d.group_columns, d.unit_count, d.panel, d.created_by, d.created_at,
  (SELECT count(*)::int FROM indicator_runs r WHERE r.dataset_id = d.id) AS runs`;

export async function listDatasets(db: Sql, frameworkId?: number): Promise<DatasetRow[]> {
  return frameworkId === undefined
    ? db.query<DatasetRow>(`SELECT ${DATASET_COLS} FROM indicator_datasets d ORDER BY d.id`)
    : db.query<DatasetRow>(`SELECT ${DATASET_COLS} FROM indicator_datasets d WHERE d.framework_id = $1 ORDER BY d.id`, [frameworkId]);
}

export async function datasetById(db: Sql, id: number): Promise<DatasetRow | null> {
  const [r] = await db.query<DatasetRow>(`SELECT ${DATASET_COLS} FROM indicator_datasets d WHERE d.id = $1`, [id]);
  return r ?? null;
}

export async function datasetByName(db: Sql, frameworkId: number, name: string): Promise<DatasetRow | null> {
  const [r] = await db.query<DatasetRow>(`SELECT ${DATASET_COLS} FROM indicator_datasets d WHERE d.framework_id = $1 AND d.name = $2`, [frameworkId, name]);
  return r ?? null;
}

/** Values per insert statement (keeps parameter arrays moderate on large data sets). */
const VALUE_CHUNK = 50_000;

export async function insertDataset(
  tx: Sql,
  d: { framework_id: number; name: string; description?: string | null; source_file: string | null; source_format: string; columns: string[]; group_columns: string[]; panel: boolean; created_by: string },
  units: readonly DatasetUnitRow[],
  values: { position: number; code: string; value: number }[],
): Promise<number> {
  const [r] = await tx.query<{ id: number }>(
    `INSERT INTO indicator_datasets (framework_id, name, description, source_file, source_format, columns, group_columns, unit_count, panel, created_by)
     VALUES ($1, $2, $3, $4, $5, $6::text[], $7::text[], $8, $9, $10) RETURNING id`,
    [d.framework_id, d.name, d.description ?? null, d.source_file, d.source_format, d.columns, d.group_columns, units.length, d.panel, d.created_by],
  );
  await tx.query(
    `INSERT INTO indicator_dataset_units (dataset_id, position, code, name, time, groups)
     SELECT $1, t.p, t.c, t.n, t.t, t.g::json FROM unnest($2::int[], $3::text[], $4::text[], $5::float8[], $6::text[]) AS t(p, c, n, t, g)`,
    [r.id, units.map((u) => u.position), units.map((u) => u.code), units.map((u) => u.name), units.map((u) => u.time), units.map((u) => JSON.stringify(u.groups))],
  );
  for (let i = 0; i < values.length; i += VALUE_CHUNK) {
    const part = values.slice(i, i + VALUE_CHUNK);
    await tx.query(
      `INSERT INTO indicator_values (dataset_id, position, code, value) SELECT $1, t.* FROM unnest($2::int[], $3::text[], $4::float8[]) AS t`,
      [r.id, part.map((v) => v.position), part.map((v) => v.code), part.map((v) => v.value)],
    );
  }
  return r.id;
}

export async function datasetUnits(db: Sql, id: number): Promise<DatasetUnitRow[]> {
  return (await db.query<DatasetUnitRow>('SELECT position, code, name, time, groups FROM indicator_dataset_units WHERE dataset_id = $1 ORDER BY position', [id])).map((u) => ({
    ...u,
    groups: parsed(u.groups),
  }));
}

export async function datasetValues(db: Sql, id: number): Promise<{ position: number; code: string; value: number }[]> {
  return db.query('SELECT position, code, value FROM indicator_values WHERE dataset_id = $1', [id]);
}

export async function deleteDatasetRow(tx: Sql, id: number): Promise<void> {
  await tx.query('DELETE FROM indicator_datasets WHERE id = $1', [id]);
}

// ---------------------------------------------------------------------------------------------
// Runs

const RUN_COLS = `r.id, r.framework_id, f.key AS framework_key, f.name AS framework_name, r.version_id, v.version, r.dataset_id, d.name AS dataset_name,
  r.label, r.request, r.methods, r.seed, r.engine_version, r.data_hash, r.units_in, r.units_out, r.replications, r.weights, r.node_weights,
  r.duration_ms, r.created_by, r.created_at`;
const RUN_FROM = `indicator_runs r JOIN indicator_frameworks f ON f.id = r.framework_id
  JOIN indicator_framework_versions v ON v.id = r.version_id JOIN indicator_datasets d ON d.id = r.dataset_id`;

function runRow(r: RunRow): RunRow {
  return {
    ...r,
    request: parsed(r.request),
    methods: parsed(r.methods),
    weights: parsed(r.weights),
    node_weights: parsed(r.node_weights),
    ...(r.diagnostics !== undefined ? { diagnostics: parsed(r.diagnostics) } : {}),
  };
}

export async function insertRun(
  tx: Sql,
  run: Omit<RunRow, 'id' | 'framework_key' | 'framework_name' | 'version' | 'dataset_name' | 'created_at'>,
  results: readonly RunResultRow[],
): Promise<number> {
  const [r] = await tx.query<{ id: number }>(
    `INSERT INTO indicator_runs (framework_id, version_id, dataset_id, label, request, methods, seed, engine_version, data_hash, units_in, units_out, replications, weights, node_weights, diagnostics, duration_ms, created_by)
     VALUES ($1, $2, $3, $4, $5::json, $6::json, $7, $8, $9, $10, $11, $12, $13::json, $14::json, $15::json, $16, $17) RETURNING id`,
    [
      run.framework_id,
      run.version_id,
      run.dataset_id,
      run.label,
      json(run.request),
      json(run.methods),
      run.seed,
      run.engine_version,
      run.data_hash,
      run.units_in,
      run.units_out,
      run.replications,
      json(run.weights),
      json(run.node_weights),
      json(run.diagnostics),
      run.duration_ms,
      run.created_by,
    ],
  );
  const col = <K extends keyof RunResultRow>(k: K) => results.map((x) => x[k]);
  await tx.query(
    `INSERT INTO indicator_run_results (run_id, position, unit, name, score, rank, median_rank, rank_lo, rank_hi, dimensions)
     SELECT $1, t.p, t.u, t.n, t.s, t.r, t.m, t.lo, t.hi, t.d::json
       FROM unnest($2::int[], $3::text[], $4::text[], $5::float8[], $6::int[], $7::int[], $8::int[], $9::int[], $10::text[]) AS t(p, u, n, s, r, m, lo, hi, d)`,
    [r.id, col('position'), col('unit'), col('name'), col('score'), col('rank'), col('median_rank'), col('rank_lo'), col('rank_hi'), results.map((x) => JSON.stringify(x.dimensions))],
  );
  return r.id;
}

export async function listRuns(db: Sql, filter: { frameworkId?: number; datasetId?: number } = {}): Promise<RunRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.frameworkId !== undefined) where.push(`r.framework_id = $${params.push(filter.frameworkId)}`);
  if (filter.datasetId !== undefined) where.push(`r.dataset_id = $${params.push(filter.datasetId)}`);
  return (await db.query<RunRow>(`SELECT ${RUN_COLS} FROM ${RUN_FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.id DESC LIMIT 500`, params)).map(runRow);
}

export async function runById(db: Sql, id: number, withDiagnostics = false): Promise<RunRow | null> {
  const [r] = await db.query<RunRow>(`SELECT ${RUN_COLS}${withDiagnostics ? ', r.diagnostics' : ''} FROM ${RUN_FROM} WHERE r.id = $1`, [id]);
  return r ? runRow(r) : null;
}

export async function runResults(db: Sql, id: number): Promise<RunResultRow[]> {
  return (await db.query<RunResultRow>('SELECT position, unit, name, score, rank, median_rank, rank_lo, rank_hi, dimensions FROM indicator_run_results WHERE run_id = $1 ORDER BY position', [id])).map((x) => ({
    ...x,
    dimensions: parsed(x.dimensions),
  }));
}

export async function deleteRunRow(tx: Sql, id: number): Promise<void> {
  await tx.query('DELETE FROM indicator_runs WHERE id = $1', [id]);
}

export async function countRuns(db: Sql, filter: { frameworkId?: number; datasetId?: number }): Promise<number> {
  const [r] =
    filter.frameworkId !== undefined
      ? await db.query<{ n: number }>('SELECT count(*)::int AS n FROM indicator_runs WHERE framework_id = $1', [filter.frameworkId])
      : await db.query<{ n: number }>('SELECT count(*)::int AS n FROM indicator_runs WHERE dataset_id = $1', [filter.datasetId]);
  return r.n;
}
