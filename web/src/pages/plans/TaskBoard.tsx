/**
 * The task board: a column per responsible unit (a task with several units stands in each of
 * their columns), a card per task with its status, progress, deadline and overdue and
 * supervision flags. Filtered by text, status, supervision and — for a unit's user — their own
 * unit; exported as CSV.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Checkbox, Input, Progress, Select, Space, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useUser } from '../../auth.tsx';
import { EmptyState } from '../../components/PageState.tsx';
import { useLang } from '../../i18n.ts';
import { saveCsv } from './data.ts';
import { NS } from './messages.ts';
import { EscalationTag, TaskStatusTag } from './status.tsx';
import { TASK_STATUSES, type BoardTask } from './types.ts';

/** The form responsible units are matched in (the server's unitKey). */
export const unitKey = (u: string) => u.normalize('NFKC').replace(/\s+/g, '');

/** Whether the logged-in organisation user acts as this unit (its organisation's name). */
export function useOwnUnit(): (unit: string) => boolean {
  const user = useUser();
  const own = user.role === 'organization' && user.org_name ? unitKey(user.org_name) : null;
  return (unit) => own !== null && unitKey(unit) === own;
}

export function TaskBoard({ planId, tasks, search }: { planId: number; tasks: BoardTask[]; search: string }) {
  const { t, lang } = useLang(NS);
  const isOwn = useOwnUnit();
  const hasOwn = tasks.some((x) => x.responsible.some(isOwn));
  const [text, setText] = useState('');
  const [status, setStatus] = useState<string | undefined>();
  const [flagged, setFlagged] = useState(false);
  const [mine, setMine] = useState(hasOwn);
  const unassigned = t('board.unassigned');

  const needle = text.trim().toLowerCase();
  const shown = tasks.filter(
    (x) =>
      (!needle || x.id.toLowerCase() === needle || x.title.toLowerCase().includes(needle)) &&
      (!status || x.status === status) &&
      (!flagged || x.escalation > 0) &&
      (!mine || x.responsible.some(isOwn)),
  );
  const columns = new Map<string, BoardTask[]>();
  for (const x of tasks) for (const u of x.responsible.length ? x.responsible : [unassigned]) if (!columns.has(u)) columns.set(u, []);
  for (const x of shown) for (const u of x.responsible.length ? x.responsible : [unassigned]) columns.get(u)!.push(x);
  const visible = [...columns.entries()].filter(([u, list]) => list.length > 0 && (!mine || isOwn(u)));

  const exportCsv = () =>
    saveCsv(
      lang === 'en' ? 'tasks.csv' : '任务.csv',
      lang === 'en'
        ? ['No.', 'Task', 'Action', 'Responsible', 'Supporting', 'Status', 'Percent', 'Due', 'Overdue days', 'Supervision']
        : ['编号', '任务', '行动', '责任单位', '配合单位', '状态', '完成比例', '完成时限', '逾期天数', '督办'],
      shown.map((x) => [x.id, x.title, x.action ?? '', x.responsible.join('；'), x.supporting.join('；'), t(`task.${x.status}`), x.percent, x.due ?? '', x.days_overdue, t(`escalation.${x.escalation}`)]),
    );

  return (
    <div data-testid="task-board">
      <div className="toolbar">
        <Input.Search allowClear placeholder={t('board.search')} onSearch={setText} onChange={(e) => !e.target.value && setText('')} style={{ width: 260 }} data-testid="board-search" />
        <Select allowClear placeholder={t('board.status')} style={{ width: 160 }} value={status} onChange={setStatus} options={TASK_STATUSES.map((s) => ({ value: s, label: t(`task.${s}`) }))} />
        <Checkbox checked={flagged} onChange={(e) => setFlagged(e.target.checked)} data-testid="board-flagged">
          {t('board.onlyFlagged')}
        </Checkbox>
        {hasOwn ? (
          <Checkbox checked={mine} onChange={(e) => setMine(e.target.checked)} data-testid="board-mine">
            {t('board.mine')}
          </Checkbox>
        ) : null}
        <span className="spacer" />
        <Button icon={<DownloadOutlined />} onClick={exportCsv} disabled={!shown.length}>
          {t('board.export')}
        </Button>
      </div>
      {visible.length === 0 ? (
        <EmptyState hint={tasks.length ? t('board.emptyFiltered') : t('board.emptyPlan')} />
      ) : (
        <div style={{ display: 'flex', gap: 12, overflowX: 'auto', paddingBottom: 8, alignItems: 'flex-start' }}>
          {visible.map(([unit, list]) => (
            <div key={unit} data-testid="board-column" data-unit={unit} style={{ flex: '0 0 290px', background: '#fafafa', borderRadius: 8, padding: 8 }}>
              <div style={{ fontWeight: 600, padding: '4px 4px 8px', display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <span>{unit}</span>
                <Badge count={list.length} color="#8c8c8c" showZero title={t('board.tasks', { n: list.length })} />
              </div>
              <Space orientation="vertical" style={{ width: '100%' }} size={8}>
                {list.map((x) => (
                  <TaskCard key={x.id} planId={planId} task={x} search={search} />
                ))}
              </Space>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

function TaskCard({ planId, task: x, search }: { planId: number; task: BoardTask; search: string }) {
  const { t, lang } = useLang(NS);
  return (
    <Card size="small" data-testid={`task-card-${x.id}`} data-status={x.status} data-overdue={x.overdue} styles={{ body: { padding: 10 } }}>
      <Link to={`/plans/${planId}/tasks/${encodeURIComponent(x.id)}${search}`} style={{ fontWeight: 500 }}>
        {x.id}. {x.title}
      </Link>
      <div style={{ margin: '6px 0' }}>
        <TaskStatusTag status={x.status} />
        {x.overdue ? (
          <Tag color="red" data-testid="overdue">
            {t('board.overdue', { days: x.days_overdue })}
          </Tag>
        ) : null}
        <EscalationTag level={x.escalation} />
      </div>
      <Tooltip title={x.expected_percent !== null ? t('board.expected', { n: Math.round(x.expected_percent) }) : undefined}>
        <Progress percent={Math.round(x.percent)} size="small" status={x.overdue ? 'exception' : x.status === 'completed' ? 'success' : 'normal'} />
      </Tooltip>
      <div style={{ color: '#888', fontSize: 12 }}>
        {t('board.due')}：<span data-testid="task-due">{x.due ?? t('board.noDue')}</span>
      </div>
      {x.triggers.length ? (
        <div style={{ fontSize: 12, color: '#d4380d', marginTop: 4 }}>
          {x.triggers.map((g) => (
            <Tooltip key={g.kind + g.since} title={lang === 'en' ? g.detail_en : g.detail_zh}>
              <Tag bordered={false} color="volcano">
                {t(`trigger.${g.kind}`, { defaultValue: g.kind })}
              </Tag>
            </Tooltip>
          ))}
        </div>
      ) : null}
    </Card>
  );
}
