/**
 * The countries registry (国家和地区): listing, detail, renaming, aliases, groups, name
 * resolution and dated indicator values. Called by HTTP and CLI alike; importers call the
 * `Sql`-level functions (resolveCountries, setCountryIndicator) inside their transaction.
 */
import type { Actor } from '../../actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { can, type Resource } from '../auth/auth.policy.ts';
import { AppError, conflict, forbidden, notFound, validationFailed, type ErrorDetail } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Sql } from '../../store/db.ts';
import { countryKey } from './countries.aliases.ts';
import {
  aliasByKey,
  aliasesOf,
  countriesWithNameKey,
  getCountryRow,
  groupExists,
  groupsOf,
  indicatorsOf,
  indicatorValues,
  insertAlias,
  listCountryRows,
  listGroupRows,
  refreshCountrySearch,
  updateCountryRow,
  upsertIndicator,
  type AliasRow,
  type CountryRow,
  type CountrySort,
  type GroupRow,
  type IndicatorRow,
} from './countries.repo.ts';
import { resolveCountries, type CountryResolution } from './countries.resolve.ts';

export type { CountryResolution } from './countries.resolve.ts';
export type { CountryRow, GroupRow, IndicatorRow } from './countries.repo.ts';

/** A country in lists. */
export type Country = CountryRow;

/** A country with its aliases, groups and indicator values. */
export interface CountryDetail extends Country {
  aliases: { alias: string; lang: string | null; source: string }[];
  group_details: { code: string; name_zh: string; name_en: string }[];
  indicators: Omit<IndicatorRow, 'id' | 'iso3' | 'import_id'>[];
}

export interface CountryListParams {
  q?: string;
  kind?: 'country' | 'region';
  group?: string;
  sort?: CountrySort;
  order?: 'asc' | 'desc';
  page?: number;
  pageSize?: number;
}

export interface CountryList {
  items: Country[];
  total: number;
  page: number;
  pageSize: number;
}

// Countries are reference data everybody reads (level public); the policy keeps changing names
// and aliases to bureau officers and administrators (REFERENCE_KINDS).
const COUNTRY: Resource = { kind: 'countries', classification: 'public' };

function assertCanEdit(actor: Actor): void {
  if (!can(actor, 'update', COUNTRY)) throw forbidden();
}

/** Upper-cased ISO3 code, or a VALIDATION_FAILED refusal. */
function iso3Of(value: string): string {
  const iso3 = value.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(iso3)) {
    throw validationFailed([{ field: 'iso3', message: 'ISO3 代码应为3个字母', message_en: 'An ISO3 code is three letters', value }]);
  }
  return iso3;
}

async function requireCountry(sql: Sql, iso3: string): Promise<CountryRow> {
  const row = await getCountryRow(sql, iso3);
  if (!row) throw notFound('country', iso3);
  return row;
}

const groupNotFound = (code: string) =>
  validationFailed([{ field: 'group', message: `没有这个国家组：${code}`, message_en: `No such country group: ${code}`, value: code }]);

/** One page of countries, filtered by text, kind and group. */
export async function listCountries(ctx: ServiceContext, params: CountryListParams): Promise<CountryList> {
  const page = params.page ?? 1;
  const pageSize = params.pageSize ?? 50;
  const group = params.group?.trim().toUpperCase();
  if (group && !(await groupExists(ctx.db, group))) throw groupNotFound(group);
  const { rows, total } = await listCountryRows(ctx.db, {
    q: params.q,
    kind: params.kind,
    group,
    sort: params.sort ?? 'iso3',
    order: params.order ?? 'asc',
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { items: rows, total, page, pageSize };
}

/** One country with its aliases, groups and indicator values; 404 when unknown. */
export async function getCountry(ctx: Pick<ServiceContext, 'db'>, iso3: string): Promise<CountryDetail> {
  return countryDetail(ctx.db, iso3Of(iso3));
}

async function countryDetail(sql: Sql, iso3: string): Promise<CountryDetail> {
  const row = await requireCountry(sql, iso3);
  const aliases = await aliasesOf(sql, iso3);
  const groups = await groupsOf(sql, iso3);
  const indicators = await indicatorsOf(sql, iso3);
  return {
    ...row,
    aliases: aliases.map((a) => ({ alias: a.alias, lang: a.lang, source: a.source })),
    group_details: groups.map((g) => ({ code: g.code, name_zh: g.name_zh, name_en: g.name_en })),
    indicators: indicators.map(({ indicator, year, value_num, value_text, unit, source }) => ({
      indicator,
      year,
      value_num,
      value_text,
      unit,
      source,
    })),
  };
}

/** Refuses a name whose key already names another country (its canonical name, code or an alias). */
async function assertNameFree(sql: Sql, name: string, iso3: string, field: string): Promise<string> {
  const key = countryKey(name);
  if (key === '') {
    throw validationFailed([{ field, message: '名称不能只含标点或空格', message_en: 'A name needs letters or characters', value: name }]);
  }
  const owners = new Set(await countriesWithNameKey(sql, key, iso3));
  const alias = await aliasByKey(sql, key);
  if (alias && alias.iso3.trim() !== iso3) owners.add(alias.iso3.trim());
  if (owners.size > 0) {
    const other = [...owners][0];
    throw conflict('COUNTRY_NAME_TAKEN', `名称“${name}”已用于 ${other}`, `The name "${name}" already belongs to ${other}`, [
      { field, value: name, iso3: other },
    ]);
  }
  return key;
}

/**
 * Renames a country or changes its note. Old and new names stay resolvable: both are kept as
 * aliases. 409 when a new name already belongs to another country.
 */
export async function updateCountry(
  ctx: ServiceContext,
  iso3In: string,
  patch: { name_zh?: string; name_en?: string; note?: string | null },
): Promise<CountryDetail> {
  assertCanEdit(ctx.actor);
  const iso3 = iso3Of(iso3In);
  return ctx.db.transaction(async (tx) => {
    const before = await requireCountry(tx, iso3);
    for (const [col, lang] of [['name_zh', 'zh'], ['name_en', 'en']] as const) {
      const name = patch[col]?.trim();
      if (name === undefined || name === before[col]) continue;
      const key = await assertNameFree(tx, name, iso3, col);
      await insertAlias(tx, { alias: name, alias_key: key, iso3, lang, source: 'user' });
      const oldKey = countryKey(before[col]);
      if (oldKey) await insertAlias(tx, { alias: before[col], alias_key: oldKey, iso3, lang, source: 'rename' });
    }
    await updateCountryRow(tx, iso3, {
      name_zh: patch.name_zh?.trim(),
      name_en: patch.name_en?.trim(),
      note: patch.note === undefined ? undefined : patch.note === null || patch.note.trim() === '' ? null : patch.note.trim(),
    });
    await refreshCountrySearch(tx, [iso3]);
    const after = await countryDetail(tx, iso3);
    const image = (c: { name_zh: string; name_en: string; note?: string | null }) => ({ name_zh: c.name_zh, name_en: c.name_en, note: c.note ?? null });
    await recordAudit(tx, { actor: ctx.actor, action: 'update', entity: 'country', entityId: iso3, before: image(before), after: image(after), requestId: ctx.requestId });
    return after;
  });
}

/** Adds an alias to a country; 409 when the alias (by key) already exists, for any country. */
export async function addCountryAlias(
  ctx: ServiceContext,
  iso3In: string,
  input: { alias: string; lang?: string | null },
): Promise<AliasRow> {
  assertCanEdit(ctx.actor);
  const iso3 = iso3Of(iso3In);
  const alias = input.alias.trim();
  const key = countryKey(alias);
  if (key === '') {
    throw validationFailed([{ field: 'alias', message: '别名不能只含标点或空格', message_en: 'An alias needs letters or characters', value: input.alias }]);
  }
  return ctx.db.transaction(async (tx) => {
    await requireCountry(tx, iso3);
    const held = await aliasByKey(tx, key);
    const canonical = await countriesWithNameKey(tx, key, '');
    const owner = held?.iso3.trim() ?? canonical[0];
    if (owner) {
      throw conflict('ALIAS_EXISTS', `别名“${alias}”已存在（${owner}）`, `The alias "${alias}" already exists (${owner})`, [
        { field: 'alias', value: alias, iso3: owner },
      ]);
    }
    const row: AliasRow = { alias, alias_key: key, iso3, lang: input.lang ?? null, source: 'user' };
    if (!(await insertAlias(tx, row))) {
      throw conflict('ALIAS_EXISTS', `别名“${alias}”已存在`, `The alias "${alias}" already exists`, [{ field: 'alias', value: alias }]);
    }
    await refreshCountrySearch(tx, [iso3]);
    await recordAudit(tx, { actor: ctx.actor, action: 'create', entity: 'country_alias', entityId: iso3, before: null, after: { alias, lang: row.lang }, requestId: ctx.requestId });
    return row;
  });
}

/** Every country group with its members' ISO3 codes. */
export async function listCountryGroups(ctx: Pick<ServiceContext, 'db'>): Promise<GroupRow[]> {
  return listGroupRows(ctx.db);
}

/** The ISO3 codes of a group's members; 404 when the group is unknown. */
export async function getGroupMembers(sql: Sql, code: string): Promise<string[]> {
  const group = (await listGroupRows(sql)).find((g) => g.code === code.trim().toUpperCase());
  if (!group) throw new AppError('NOT_FOUND', 404, `未找到国家组：${code}`, `No country group ${code}`, [{ field: 'group', value: code }]);
  return group.members.map((m) => m.trim());
}

/** Resolves names to countries (see countries.resolve.ts). */
export async function resolveCountryNames(ctx: Pick<ServiceContext, 'db'>, names: string[]): Promise<CountryResolution[]> {
  return resolveCountries(ctx.db, names);
}

export { resolveCountries, loadCountryResolver, CountryResolver } from './countries.resolve.ts';

/** A dated indicator value to store. */
export interface CountryIndicatorInput {
  iso3: string;
  indicator: string;
  year: number;
  value_num?: number | null;
  value_text?: string | null;
  unit?: string | null;
  source?: string | null;
  import_id?: number | null;
}

/**
 * Sets the value of an indicator for a country and year (replacing any previous value), e.g.
 * `{iso3: 'SGP', indicator: 'gii_rank_band', year: 2022, value_text: '1-20'}`. Returns the row
 * id and the replaced row (the before-image an import records to be undoable). Refuses an
 * unknown country (404) and an invalid value (400).
 */
export async function setCountryIndicator(
  sql: Sql,
  input: CountryIndicatorInput,
): Promise<{ id: number; before: IndicatorRow | null }> {
  const iso3 = iso3Of(input.iso3);
  const problems: ErrorDetail[] = [];
  if (!/^[a-z][a-z0-9_]{0,63}$/.test(input.indicator)) {
    problems.push({ field: 'indicator', message: '指标代码应为小写字母、数字和下划线', message_en: 'An indicator code is lower-case letters, digits and underscores', value: input.indicator });
  }
  if (!Number.isInteger(input.year) || input.year < 1900 || input.year > 2200) {
    problems.push({ field: 'year', message: '年份应在1900至2200之间', message_en: 'The year must be between 1900 and 2200', value: input.year });
  }
  const num = input.value_num ?? null;
  const text = input.value_text?.trim() || null;
  if (num !== null && !Number.isFinite(num)) {
    problems.push({ field: 'value_num', message: '数值无效', message_en: 'The number is not finite', value: String(num) });
  }
  if (num === null && text === null) {
    problems.push({ field: 'value', message: '需要数值或文本值', message_en: 'A number or a text value is required' });
  }
  if (problems.length) throw validationFailed(problems);
  if (!(await getCountryRow(sql, iso3))) throw notFound('country', iso3);
  return upsertIndicator(sql, {
    iso3,
    indicator: input.indicator,
    year: input.year,
    value_num: num,
    value_text: text,
    unit: input.unit ?? null,
    source: input.source ?? null,
    import_id: input.import_id ?? null,
  });
}

/** The indicator values of a country, optionally of one indicator, newest year first. */
export async function getCountryIndicators(sql: Sql, iso3: string, indicator?: string): Promise<IndicatorRow[]> {
  return indicatorsOf(sql, iso3Of(iso3), indicator);
}

/** The values of one indicator for every country (optionally one year), e.g. all GII bands of 2022. */
export async function getIndicatorValues(sql: Sql, indicator: string, year?: number): Promise<IndicatorRow[]> {
  return indicatorValues(sql, indicator, year);
}
