/**
 * The follow-up of matches (对接跟踪): a match is taken up as an expression of interest and
 * moves forward — contact → meeting → negotiation → agreement (licence, contract, joint
 * project …, with the project and output that came of it) — or is dropped with a reason. The
 * bureau sees the funnel from matches shown to agreements, by field, partner country or
 * intermediary, with the time spent in each stage. IN-PART's weakness (matches that rarely
 * become deals) is what this makes visible.
 */
import type { Actor } from '../../actor.ts';
import { AppError, forbidden, validationFailed } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { translatePgError } from '../../store/pg-errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { can, scopeOf } from '../auth/auth.policy.ts';
import { inRegionScope } from '../auth/auth.scope.ts';
import { zodDetails } from '../registry/zod-details.ts';
import { techField } from './market.fields.ts';
import { explain, indexedRecord, rank, storedQuery, storedReasons } from './market.match.ts';
import {
  countryNames,
  followupById,
  insertFollowup,
  insertFollowupEvent,
  listFollowupRows,
  NOW,
  orgBrief,
  params,
  shownRows,
  stageDurations,
  titlesOf,
  updateFollowupRow,
  type FollowupRow,
} from './market.repo.ts';
import {
  followupCreateBody,
  followupStageBody,
  FOLLOWUP_STAGES,
  funnelQuery,
  STAGE_LABELS,
  type FollowupDto,
  type FollowupStage,
  type FunnelDto,
  type MarketReason,
} from './market.schema.ts';
import { isOfficer, visibleProfile } from './market.service.ts';
import type { z } from 'zod';

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw validationFailed(zodDetails(r.error));
  return r.data;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : d instanceof Date ? d.toISOString() : String(d));
const num = (v: unknown): number | null => (v == null ? null : Number(v));

function followupDto(r: FollowupRow): FollowupDto {
  return {
    id: Number(r.id),
    profile_id: num(r.profile_id),
    org_id: num(r.org_id),
    target_kind: r.target_kind,
    target_id: Number(r.target_id),
    intermediary_org_id: num(r.intermediary_org_id),
    field: r.field,
    country_iso3: r.country_iso3,
    stage: r.stage as FollowupDto['stage'],
    reached: r.reached as FollowupDto['reached'],
    stage_since: iso(r.stage_since)!,
    outcome: r.outcome,
    dropped_reason: r.dropped_reason,
    project_id: num(r.project_id),
    output_id: num(r.output_id),
    score: num(r.score),
    reasons: storedReasons(r.reasons),
    note: r.note,
    created_by: r.created_by,
    created_at: iso(r.created_at)!,
    updated_at: iso(r.updated_at)!,
  };
}

const followupNotFound = (id: number) =>
  new AppError('MARKET_FOLLOWUP_NOT_FOUND', 404, `未找到对接记录：${id}`, `No follow-up with id ${id}`, [{ field: 'id', value: id }]);

/** The organisation that took the match up, its intermediary, or an officer of its region. */
function canTouch(actor: Actor, r: FollowupRow, action: 'read' | 'update'): boolean {
  const mine = actor.orgId !== undefined && (num(r.org_id) === actor.orgId || num(r.intermediary_org_id) === actor.orgId);
  if (mine) return true;
  if (!isOfficer(actor) && !(action === 'read' && actor.role === 'evaluator')) return false;
  return can(actor, action, { kind: 'market_followups', region_id: num(r.region_id), region_path: r.region_path, classification: 'internal' });
}

/**
 * Takes a match up as an expression of interest. The target must be a record the actor may
 * see; the source profile, when given, must be the actor's organisation's (or an officer's to
 * see). The match's score and reasons are kept as they were when it was taken up.
 */
export async function createFollowup(ctx: ServiceContext, input: unknown): Promise<FollowupDto> {
  const f = parse(followupCreateBody, input);
  const { actor } = ctx;
  if (actor.role !== 'organization' && !isOfficer(actor)) throw forbidden();
  const source = f.profile_id !== undefined ? await visibleProfile(ctx, f.profile_id) : null;
  if (source && actor.role === 'organization' && num(source.org_id) !== actor.orgId && source.status !== 'published') throw forbidden();
  const target = await indexedRecord(ctx, f.target_kind, f.target_id);
  if (!target)
    throw new AppError(
      'MARKET_TARGET_NOT_FOUND',
      404,
      `未找到可对接的${f.target_kind === 'offer' ? '技术成果' : f.target_kind === 'demand' ? '技术需求' : f.target_kind === 'partner' ? '合作机构' : '人才'}：${f.target_id}（须已发布且未过期）`,
      `No ${f.target_kind} ${f.target_id} to follow up (it must be published and not expired)`,
      [{ field: 'target_id', value: f.target_id }],
    );
  if (actor.role === 'organization' && f.org_id !== undefined && f.org_id !== actor.orgId) throw forbidden();
  const orgId = actor.role === 'organization' ? (actor.orgId ?? null) : (f.org_id ?? num(source?.org_id) ?? null);
  const org = orgId !== null ? await orgBrief(ctx.db, orgId) : null;
  const regionId = num(source?.region_id) ?? org?.region_id ?? actor.regionScope?.[0] ?? null;
  if (isOfficer(actor) && !can(actor, 'create', { kind: 'market_followups', region_id: regionId, region_path: source?.region_path ?? org?.region_path ?? null })) throw forbidden();
  // Score and reasons of the pair, as the source profile's match list shows them.
  let score: number | null = null;
  let reasons: MarketReason[] = [];
  if (source) {
    const q = await storedQuery(ctx, Number(source.id), source.kind);
    const hit = (await rank(ctx, q, [f.target_kind], 1000)).find((m) => m.doc.recordId === f.target_id);
    if (hit) {
      score = Math.round(hit.score * 1000) / 1000;
      [reasons] = await explain(ctx, q, [hit]);
    }
  }
  const foreign = (c: string | null | undefined) => (c && c.toUpperCase() !== 'CHN' ? c.toUpperCase() : null);
  const row = {
    profile_id: f.profile_id ?? null,
    org_id: orgId,
    target_kind: f.target_kind,
    target_id: f.target_id,
    intermediary_org_id: f.intermediary_org_id ?? null,
    field: source?.field ?? target.field ?? null,
    country_iso3: foreign(target.country) ?? foreign(source?.country_iso3) ?? null,
    region_id: regionId,
    score,
    reasons,
    note: f.note ?? null,
    created_by: actor.name,
  };
  const dup = await listFollowupRows(
    ctx.db,
    ['coalesce(f.profile_id, 0) = $1', 'coalesce(f.org_id, 0) = $2', 'f.target_kind = $3', 'f.target_id = $4'],
    [row.profile_id ?? 0, row.org_id ?? 0, row.target_kind, row.target_id],
    1,
  );
  if (dup.length > 0)
    throw new AppError('MARKET_FOLLOWUP_EXISTS', 409, `该匹配已在跟踪中（对接记录 ${dup[0].id}）`, `This match is already followed up (follow-up ${dup[0].id})`, [{ field: 'id', value: Number(dup[0].id) }]);
  let id: number;
  try {
    id = await ctx.db.transaction(async (tx) => {
      const id = await insertFollowup(tx, row);
      await insertFollowupEvent(tx, { followupId: id, from: null, to: 'interest', note: f.note, actor: actor.name });
      await recordAudit(tx, { actor, action: 'create', entity: 'market_followup', entityId: id, before: null, after: { id, ...row }, requestId: ctx.requestId });
      return id;
    });
  } catch (e) {
    throw translatePgError(e);
  }
  return followupDto((await followupById(ctx.db, id))!);
}

export async function getFollowup(ctx: ServiceContext, id: number): Promise<FollowupDto> {
  const r = await followupById(ctx.db, id);
  if (!r || !canTouch(ctx.actor, r, 'read')) throw followupNotFound(id);
  return followupDto(r);
}

const order = (s: string) => (FOLLOWUP_STAGES as readonly string[]).indexOf(s);

/**
 * Moves a follow-up forward (stages may be skipped, never gone back to), drops it with a
 * reason, or — at agreement — records its outcome and the project and output it produced.
 */
export async function moveFollowup(ctx: ServiceContext, id: number, input: unknown): Promise<FollowupDto> {
  const s = parse(followupStageBody, input);
  const r = await followupById(ctx.db, id);
  if (!r || !canTouch(ctx.actor, r, 'read')) throw followupNotFound(id);
  if (!canTouch(ctx.actor, r, 'update')) throw forbidden();
  const closed = r.stage === 'dropped' || (r.stage === 'agreement' && s.stage !== 'agreement');
  if (closed)
    throw new AppError('MARKET_FOLLOWUP_CLOSED', 409, `对接已${STAGE_LABELS[r.stage as FollowupStage].zh}，不能再变更阶段`, `The follow-up is closed (${STAGE_LABELS[r.stage as FollowupStage].en})`, [{ field: 'stage', value: r.stage }]);
  if (s.stage === 'dropped' && !s.dropped_reason)
    throw new AppError('MARKET_DROP_REASON_REQUIRED', 400, '终止对接时必须填写原因', 'Give the reason the match was dropped', [{ field: 'dropped_reason' }]);
  if (s.stage !== 'dropped' && s.dropped_reason) throw validationFailed([{ field: 'dropped_reason', code: 'ONLY_WHEN_DROPPED', message: '只有终止对接时才填写终止原因', message_en: 'dropped_reason is for dropped follow-ups only' }]);
  if (s.stage !== 'agreement' && (s.outcome || s.project_id || s.output_id))
    throw validationFailed([{ field: 'outcome', code: 'ONLY_AT_AGREEMENT', message: '达成协议时才填写协议类型、项目和成果', message_en: 'outcome, project_id and output_id are recorded at agreement' }]);
  if (s.stage !== 'dropped' && s.stage !== r.stage && order(s.stage) < order(r.stage))
    throw new AppError(
      'MARKET_STAGE_ORDER',
      409,
      `对接阶段只能前进：当前为「${STAGE_LABELS[r.stage as FollowupStage].zh}」，不能回到「${STAGE_LABELS[s.stage].zh}」`,
      `Stages only move forward: it is at ${STAGE_LABELS[r.stage as FollowupStage].en} and cannot go back to ${STAGE_LABELS[s.stage].en}`,
      [{ field: 'stage', value: s.stage }],
    );
  if (s.stage === r.stage && s.stage !== 'agreement')
    throw new AppError('MARKET_STAGE_ORDER', 409, `对接已处于「${STAGE_LABELS[r.stage as FollowupStage].zh}」阶段`, `The follow-up is already at ${STAGE_LABELS[r.stage as FollowupStage].en}`, [{ field: 'stage', value: s.stage }]);
  const moved = s.stage !== r.stage;
  const set: Record<string, unknown> = {
    stage: s.stage,
    ...(moved ? { stage_since: NOW } : {}),
    ...(s.stage !== 'dropped' && order(s.stage) > order(r.reached) ? { reached: s.stage } : {}),
    ...(s.stage === 'dropped' ? { dropped_reason: s.dropped_reason } : {}),
    ...(s.outcome ? { outcome: s.outcome } : {}),
    ...(s.project_id ? { project_id: s.project_id } : {}),
    ...(s.output_id ? { output_id: s.output_id } : {}),
    ...(s.note ? { note: s.note } : {}),
  };
  try {
    await ctx.db.transaction(async (tx) => {
      await updateFollowupRow(tx, id, set);
      if (moved) await insertFollowupEvent(tx, { followupId: id, from: r.stage, to: s.stage, note: s.note ?? s.dropped_reason, actor: ctx.actor.name });
      const after = await followupById(tx, id);
      await recordAudit(tx, { actor: ctx.actor, action: 'update', entity: 'market_followup', entityId: id, before: followupDto(r), after: after && followupDto(after), requestId: ctx.requestId });
    });
  } catch (e) {
    throw translatePgError(e);
  }
  return followupDto((await followupById(ctx.db, id))!);
}

/** The conditions that limit follow-ups (alias f) or shown matches (alias s) to the actor's scope. */
function scopeWhere(actor: Actor, alias: string, add: (v: unknown) => string): string[] {
  const scope = scopeOf(actor);
  if (scope.all) return [];
  const out: string[] = [];
  if (scope.regions)
    out.push(inRegionScope(scope, `${alias}.region_id`, add));
  if (!isOfficer(actor) && actor.role !== 'evaluator') {
    if (alias !== 'f' || actor.orgId === undefined) return ['false'];
    const o = add(actor.orgId);
    return [`(f.org_id = ${o} OR f.intermediary_org_id = ${o})`];
  }
  return out;
}

/** Follow-ups the actor may see (its organisation's, or its region's for officers). */
export async function listFollowups(ctx: ServiceContext, q: { stage?: string; profile_id?: number } = {}): Promise<FollowupDto[]> {
  const p = params();
  const where = scopeWhere(ctx.actor, 'f', p.add);
  if (q.stage) where.push(`f.stage = ${p.add(q.stage)}`);
  if (q.profile_id) where.push(`f.profile_id = ${p.add(q.profile_id)}`);
  return (await listFollowupRows(ctx.db, where, p.values)).map(followupDto);
}

const STAGES_WITH_DROP = [...FOLLOWUP_STAGES, 'dropped'] as const;

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const r2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/**
 * The funnel of the actor's region (officers and evaluators): matches shown → interest →
 * contact → meeting → negotiation → agreement, and dropped; by field, country or
 * intermediary; time in each stage; why matches were dropped; the deals and what came of them.
 */
export async function funnel(ctx: ServiceContext, input: unknown = {}): Promise<FunnelDto> {
  const q = parse(funnelQuery, input ?? {});
  if (!isOfficer(ctx.actor) && ctx.actor.role !== 'evaluator') throw forbidden();
  const p = params();
  const where = scopeWhere(ctx.actor, 'f', p.add);
  if (q.from) where.push(`f.created_at >= ${p.add(q.from)}::date`);
  if (q.to) where.push(`f.created_at < (${p.add(q.to)}::date + 1)`);
  const rows = await listFollowupRows(ctx.db, where, p.values, 100_000);
  const ps = params();
  const sw = scopeWhere(ctx.actor, 's', ps.add);
  if (q.from) sw.push(`s.first_shown >= ${ps.add(q.from)}::date`);
  if (q.to) sw.push(`s.first_shown < (${ps.add(q.to)}::date + 1)`);
  const shown = await shownRows(ctx.db, sw, ps.values);

  const reachedAt = (r: FollowupRow, stage: string) => order(r.reached) >= order(stage);
  const shownTotal = shown.reduce((n, x) => n + Number(x.n), 0);
  const takenUp = rows.filter((r) => r.profile_id !== null).length;
  // A shown match never taken up is "current" at shown.
  const stages: FunnelDto['stages'] = [
    { stage: 'shown', label_zh: STAGE_LABELS.shown.zh, label_en: STAGE_LABELS.shown.en, reached: shownTotal, current: Math.max(0, shownTotal - takenUp) },
  ];
  for (const st of STAGES_WITH_DROP) {
    stages.push({
      stage: st,
      label_zh: STAGE_LABELS[st].zh,
      label_en: STAGE_LABELS[st].en,
      reached: st === 'dropped' ? rows.filter((r) => r.stage === 'dropped').length : rows.filter((r) => reachedAt(r, st)).length,
      current: rows.filter((r) => r.stage === st).length,
    });
  }

  const groups: FunnelDto['groups'] = [];
  if (q.by) {
    const keyOf = (r: FollowupRow) => (q.by === 'field' ? r.field : q.by === 'country' ? r.country_iso3 : r.intermediary_org_id == null ? null : String(r.intermediary_org_id));
    const keys = new Set<string | null>(rows.map(keyOf));
    if (q.by !== 'intermediary') for (const s of shown) keys.add(q.by === 'field' ? s.field : s.country);
    const countries = q.by === 'country' ? new Map((await countryNames(ctx.db, [...keys].filter((k): k is string => k !== null))).map((c) => [c.iso3, c])) : new Map();
    const orgs = new Map<string, string>();
    if (q.by === 'intermediary') for (const k of keys) if (k !== null) orgs.set(k, (await orgBrief(ctx.db, Number(k)))?.name ?? k);
    for (const key of keys) {
      const mine = rows.filter((r) => keyOf(r) === key);
      const label =
        key === null
          ? { zh: '（未注明）', en: '(none)' }
          : q.by === 'field'
            ? { zh: techField(key)?.zh ?? key, en: techField(key)?.en ?? key }
            : q.by === 'country'
              ? { zh: countries.get(key)?.name_zh ?? key, en: countries.get(key)?.name_en ?? key }
              : { zh: orgs.get(key) ?? key, en: orgs.get(key) ?? key };
      groups.push({
        by: q.by,
        key,
        label_zh: label.zh,
        label_en: label.en,
        counts: {
          shown: q.by === 'intermediary' ? 0 : shown.filter((s) => (q.by === 'field' ? s.field : s.country) === key).reduce((n, s) => n + Number(s.n), 0),
          interest: mine.filter((r) => reachedAt(r, 'interest')).length,
          contact: mine.filter((r) => reachedAt(r, 'contact')).length,
          meeting: mine.filter((r) => reachedAt(r, 'meeting')).length,
          negotiation: mine.filter((r) => reachedAt(r, 'negotiation')).length,
          agreement: mine.filter((r) => reachedAt(r, 'agreement')).length,
          dropped: mine.filter((r) => r.stage === 'dropped').length,
        },
      });
    }
    groups.sort((a, b) => b.counts.interest - a.counts.interest || b.counts.shown - a.counts.shown || String(a.key).localeCompare(String(b.key)));
  }

  const durations = await stageDurations(ctx.db, rows.map((r) => Number(r.id)));
  const time_in_stage = FOLLOWUP_STAGES.map((st) => {
    const days = durations.filter((d) => d.stage === st).map((d) => Number(d.days));
    return { stage: st, entries: days.length, mean_days: r2(days.length ? days.reduce((a, b) => a + b, 0) / days.length : null), median_days: r2(median(days)) };
  });

  const reasons = new Map<string, number>();
  for (const r of rows) if (r.stage === 'dropped' && r.dropped_reason) reasons.set(r.dropped_reason, (reasons.get(r.dropped_reason) ?? 0) + 1);
  const dealRows = rows.filter((r) => r.stage === 'agreement');
  const projects = await titlesOf(ctx.db, 'projects', dealRows.map((r) => num(r.project_id)).filter((x): x is number => x !== null));
  const outputs = await titlesOf(ctx.db, 'outputs', dealRows.map((r) => num(r.output_id)).filter((x): x is number => x !== null));
  return {
    stages,
    groups,
    time_in_stage,
    dropped_reasons: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
    deals: dealRows.map((r) => ({
      followup_id: Number(r.id),
      outcome: r.outcome,
      project: r.project_id == null ? null : { id: Number(r.project_id), title: projects.get(Number(r.project_id)) ?? '' },
      output: r.output_id == null ? null : { id: Number(r.output_id), title: outputs.get(Number(r.output_id)) ?? '' },
    })),
  };
}
