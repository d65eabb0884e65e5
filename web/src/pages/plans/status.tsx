/**
 * Tags for target progress statuses (Open SDG's colours: dark green achieved, green on track,
 * yellow acceleration needed, orange limited, red deterioration, grey no data), task statuses,
 * review states and supervision levels — each with its Chinese and English name.
 */
import { Tag, Tooltip } from 'antd';
import { useLang } from '../../i18n.ts';
import { NS } from './messages.ts';
import type { ProgressStatus, ReviewStatus, TaskStatus } from './types.ts';

export const STATUS_COLOR: Record<ProgressStatus, string> = {
  achieved: '#237804',
  on_track: '#52c41a',
  acceleration_needed: '#d4b106',
  limited: '#fa8c16',
  deterioration: '#f5222d',
  no_data: '#8c8c8c',
};

export function StatusTag({ status, long = false }: { status: ProgressStatus; long?: boolean }) {
  const { t } = useLang(NS);
  const tag = (
    <Tag color={STATUS_COLOR[status]} data-testid="status-tag" data-status={status} style={{ marginInlineEnd: 0 }}>
      {t(`status.${status}`)}
    </Tag>
  );
  return long ? tag : <Tooltip title={t(`statusLong.${status}`)}>{tag}</Tooltip>;
}

const TASK_COLOR: Record<TaskStatus, string> = { not_started: 'default', in_progress: 'blue', completed: 'green', blocked: 'red' };

export function TaskStatusTag({ status }: { status: TaskStatus }) {
  const { t } = useLang(NS);
  return (
    <Tag color={TASK_COLOR[status]} data-testid="task-status" data-status={status}>
      {t(`task.${status}`)}
    </Tag>
  );
}

const REVIEW_COLOR: Record<ReviewStatus, string> = { submitted: 'gold', accepted: 'green', returned: 'red' };

export function ReviewTag({ status }: { status: ReviewStatus }) {
  const { t } = useLang(NS);
  return (
    <Tag color={REVIEW_COLOR[status]} data-testid="review-status" data-status={status}>
      {t(`review.${status}`)}
    </Tag>
  );
}

export function EscalationTag({ level }: { level: number }) {
  const { t } = useLang(NS);
  if (!level) return null;
  return (
    <Tag color={level >= 2 ? 'volcano' : 'orange'} data-testid="escalation" data-level={level}>
      {t(`escalation.${level >= 2 ? 2 : 1}`)}
    </Tag>
  );
}

/** A number as people read it: thousands grouped, at most `decimals` decimals. */
export function fmt(x: number | null | undefined, decimals = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return x.toLocaleString('zh-CN', { maximumFractionDigits: decimals });
}

/** A ratio or rate as a percentage ('97.1%'). */
export function pct(x: number | null | undefined, decimals = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${(x * 100).toFixed(decimals)}%`;
}
