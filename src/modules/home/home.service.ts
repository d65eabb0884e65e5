/**
 * The home page's "what needs attention": counts of the registries the actor may see, recent
 * imports with problems, plan targets lagging, tasks overdue and progress reports waiting for
 * review — each computed by the services that own them, with the actor's own access.
 */
import { isAppError } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { can } from '../auth/auth.policy.ts';
import { importLogRegions } from '../imports/imports.log.ts';
import { listImports } from '../imports/imports.repo.ts';
import { listPlanSummaries, listReports, planSupervision } from '../plans/plans.service.ts';
import { REGISTRIES } from '../registries/defs.ts';
import { registryService } from '../registry/registry.service.ts';

export interface AttentionItem {
  kind: 'imports_with_issues' | 'targets_lagging' | 'tasks_overdue' | 'reports_to_review';
  count: number;
  zh: string;
  en: string;
  link: string;
}

export interface HomeSummary {
  counts: { kind: string; zh: string; en: string; total: number }[];
  attention: AttentionItem[];
  recent_imports: { id: number; kind: string; file_name: string; status: string; rows_imported: number; rows_rejected: number; issue_count: number; started_at: string }[];
  plans: { id: number; name: string; targets_lagging: number; tasks_overdue: number; reports_to_review: number }[];
}

/** Denied or absent parts of the page are left out, not errors. */
async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (isAppError(e) && (e.status === 403 || e.status === 404)) return null;
    throw e;
  }
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

export async function homeSummary(ctx: ServiceContext, today = new Date().toISOString().slice(0, 10)): Promise<HomeSummary> {
  const counts: HomeSummary['counts'] = [];
  for (const def of Object.values(REGISTRIES)) {
    if (!can(ctx.actor, 'read', { kind: def.kind })) continue;
    const res = await orNull(registryService(def).list(ctx, { page: 1, pageSize: 1, filters: {}, ranges: {} }));
    if (res) counts.push({ kind: def.kind, zh: def.zh, en: def.en, total: res.total });
  }

  const attention: AttentionItem[] = [];
  let recent: HomeSummary['recent_imports'] = [];
  if (can(ctx.actor, 'import', { kind: 'imports' })) {
    // The same import log the actor's import history shows: its region subtree.
    const { items } = await listImports(ctx.db, { limit: 50, offset: 0, regions: importLogRegions(ctx.actor) });
    recent = items.slice(0, 5).map((i) => ({
      id: i.id,
      kind: i.kind,
      file_name: i.file_name,
      status: i.status,
      rows_imported: i.rows_imported,
      rows_rejected: i.rows_rejected,
      issue_count: i.issue_count,
      started_at: iso(i.started_at),
    }));
    const withIssues = items.filter((i) => i.status === 'failed' || i.rows_rejected > 0).length;
    if (withIssues > 0) attention.push({ kind: 'imports_with_issues', count: withIssues, zh: `${withIssues} 次导入存在被拒绝的行或失败`, en: `${withIssues} imports with rejected rows or failures`, link: '/imports' });
  }

  const plans: HomeSummary['plans'] = [];
  const summaries = (await orNull(listPlanSummaries(ctx))) ?? [];
  for (const p of summaries.slice(0, 10)) {
    const sup = await orNull(planSupervision(ctx, p.id, today));
    const reports = await orNull(listReports(ctx, p.id, { review_status: 'submitted' }));
    const tasksOverdue = sup ? new Set(sup.units.flatMap((u) => u.tasks.map((t) => t.id))).size : 0;
    plans.push({ id: p.id, name: p.name, targets_lagging: sup?.targets.length ?? 0, tasks_overdue: tasksOverdue, reports_to_review: reports?.length ?? 0 });
  }
  const sum = (k: 'targets_lagging' | 'tasks_overdue' | 'reports_to_review') => plans.reduce((s, p) => s + p[k], 0);
  const first = (k: 'targets_lagging' | 'tasks_overdue' | 'reports_to_review') => plans.find((p) => p[k] > 0);
  const lag = sum('targets_lagging');
  if (lag > 0) attention.push({ kind: 'targets_lagging', count: lag, zh: `${lag} 项计划指标进展滞后或已退步`, en: `${lag} plan targets lagging or deteriorating`, link: `/plans/${first('targets_lagging')!.id}` });
  const overdue = sum('tasks_overdue');
  if (overdue > 0) attention.push({ kind: 'tasks_overdue', count: overdue, zh: `${overdue} 项任务被督办（逾期或滞后）`, en: `${overdue} tasks under supervision (overdue or lagging)`, link: `/plans/${first('tasks_overdue')!.id}` });
  const toReview = sum('reports_to_review');
  if (toReview > 0) attention.push({ kind: 'reports_to_review', count: toReview, zh: `${toReview} 份进展报告待审核`, en: `${toReview} progress reports waiting for review`, link: `/plans/${first('reports_to_review')!.id}` });

  return { counts, attention, recent_imports: recent, plans };
}
