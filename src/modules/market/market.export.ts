/**
 * The export of the demand and offer list (CSV with BOM, or XLSX, through exports/export.ts):
 * exactly the list the actor sees for a query — its filters, search and order, every page —
 * each row as the list's item (profileDto) shows it, codes beside their Chinese labels.
 */
import type { ServiceContext } from '../../http/context.ts';
import type { ExportColumn, ExportFormat } from '../exports/export.ts';
import { techField } from './market.fields.ts';
import { COOPERATION_LABELS, STATUS_LABELS, type CooperationType, type ProfileDto } from './market.schema.ts';
import { iterateProfiles } from './market.service.ts';

export const PROFILE_EXPORT_COLUMNS: ExportColumn[] = [
  { key: 'id', header: 'ID' },
  { key: 'kind', header: '类型 / Kind' },
  { key: 'kind_label', header: '类型名称 / Kind (label)' },
  { key: 'status', header: '状态 / Status' },
  { key: 'status_label', header: '状态名称 / Status (label)' },
  { key: 'title_zh', header: '中文标题 / Title (Chinese)' },
  { key: 'title_en', header: '英文标题 / Title (English)' },
  { key: 'summary_zh', header: '中文简介 / Summary (Chinese)' },
  { key: 'summary_en', header: '英文简介 / Summary (English)' },
  { key: 'problem', header: '解决的问题 / Problem' },
  { key: 'advantages', header: '技术优势 / Advantages' },
  { key: 'field', header: '技术领域 / Field' },
  { key: 'field_label', header: '技术领域名称 / Field (label)' },
  { key: 'keywords', header: '关键词 / Keywords' },
  { key: 'trl', header: '技术成熟度 / TRL' },
  { key: 'ipr', header: '知识产权 / IPR' },
  { key: 'cooperation', header: '合作方式 / Cooperation' },
  { key: 'cooperation_label', header: '合作方式名称 / Cooperation (label)' },
  { key: 'org_id', header: '机构编号 / Organisation ID' },
  { key: 'org_name', header: '机构名称 / Organisation' },
  { key: 'country_iso3', header: '国别 / Country' },
  { key: 'region_id', header: '地区编号 / Region ID' },
  { key: 'expires_on', header: '有效期至 / Expires on' },
  { key: 'submitted_at', header: '提交时间 / Submitted at' },
  { key: 'published_at', header: '发布时间 / Published at' },
  { key: 'reviewed_by', header: '审核人 / Reviewed by' },
  { key: 'review_comment', header: '审核意见 / Review comment' },
  { key: 'closed_reason', header: '关闭原因 / Closed because' },
  { key: 'created_by', header: '创建人 / Created by' },
  { key: 'created_at', header: '创建时间 / Created at' },
  { key: 'updated_at', header: '更新时间 / Updated at' },
];

/** One export row of a list item: its fields, lists joined with "; ", labels beside the codes. */
export function profileExportRow(p: ProfileDto): Record<string, unknown> {
  return {
    ...p,
    kind_label: p.kind === 'demand' ? '技术需求' : '技术成果',
    status_label: STATUS_LABELS[p.status].zh,
    field_label: techField(p.field)?.zh ?? null,
    keywords: p.keywords.join('; '),
    cooperation: p.cooperation.join('; '),
    cooperation_label: p.cooperation.map((c) => COOPERATION_LABELS[c as CooperationType]?.zh ?? c).join('；'),
    org_id: p.org?.id ?? null,
    org_name: p.org?.name ?? null,
  };
}

/** The rows, columns and file name of a list export; the query is validated before anything is written. */
export async function exportProfiles(
  ctx: ServiceContext,
  query: unknown,
): Promise<{ format: ExportFormat; fileName: string; sheet: string; columns: ExportColumn[]; rows: AsyncIterable<Record<string, unknown>> }> {
  const { query: q, rows } = await iterateProfiles(ctx, query);
  const what = q.kind === 'demand' ? { zh: '技术需求', en: 'demands' } : q.kind === 'offer' ? { zh: '技术成果', en: 'offers' } : { zh: '技术需求与成果', en: 'profiles' };
  async function* mapped() {
    for await (const p of rows) yield profileExportRow(p);
  }
  return {
    format: q.format,
    fileName: `market-${what.en}-${new Date().toISOString().slice(0, 10)}.${q.format}`,
    sheet: what.zh,
    columns: PROFILE_EXPORT_COLUMNS,
    rows: mapped(),
  };
}
