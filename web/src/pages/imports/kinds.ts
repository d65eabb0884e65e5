/** What can be imported, with its name in both languages. */
export const IMPORT_KINDS = [
  { value: 'funding', zh: '经费（按地区、年份等）', en: 'Funding (by region, year …)' },
  { value: 'projects', zh: '项目', en: 'Projects' },
  { value: 'partners', zh: '项目合作方', en: 'Project partners' },
  { value: 'organizations', zh: '机构', en: 'Organisations' },
  { value: 'platforms', zh: '平台', en: 'Platforms' },
  { value: 'talents', zh: '人才', en: 'Talent' },
  { value: 'mechanisms', zh: '合作机制', en: 'Cooperation mechanisms' },
  { value: 'outputs', zh: '成果', en: 'Outputs' },
  { value: 'facts', zh: '陈述数据（材料中的合计、数量）', en: 'Stated figures (totals, counts in documents)' },
  { value: 'countries', zh: '国家指标', en: 'Country indicators' },
] as const;

export interface ImportIssue {
  row: number;
  column: string;
  code: string;
  severity: 'error' | 'warning';
  message: string;
  message_en: string;
  [k: string]: unknown;
}

export interface ImportResult {
  ok: boolean;
  kind: string;
  rows: { read: number; imported: number; rejected: number };
  issues: ImportIssue[];
  import_id?: number;
  dry_run?: boolean;
  issue_count?: number;
  changes?: { inserted: number; updated: number; unchanged: number };
  mapping?: {
    columns: { column: string; field: string | null; year?: number }[];
    unpivoted_years: number[];
    total_rows: number[];
    total_columns: string[];
    encoding?: string;
    format?: string;
  };
}

export interface ImportRow {
  id: number;
  kind: string;
  file_name: string;
  file_size: number;
  actor: string;
  region_context: string | null;
  status: string;
  rows_read: number;
  rows_imported: number;
  rows_rejected: number;
  issue_count: number;
  started_at: string;
  finished_at: string | null;
  undone_at: string | null;
  undone_by: string | null;
}

export const STATUS_COLORS: Record<string, string> = { done: 'green', failed: 'red', undone: 'default', running: 'blue' };
export const STATUS_LABELS: Record<string, { zh: string; en: string }> = {
  done: { zh: '已完成', en: 'Done' },
  failed: { zh: '失败', en: 'Failed' },
  undone: { zh: '已撤销', en: 'Undone' },
  running: { zh: '进行中', en: 'Running' },
};
