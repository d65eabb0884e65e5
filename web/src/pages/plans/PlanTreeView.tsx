/**
 * The plan as a tree: actions, each with its targets (status as of the chosen date) and its
 * tasks (status, overdue); what belongs to no action at the end. A target selects its card, a
 * task opens its page.
 */
import { AimOutlined, CheckSquareOutlined } from '@ant-design/icons';
import { Tag, Tree } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useNavigate } from 'react-router-dom';
import { useLang } from '../../i18n.ts';
import { NS } from './messages.ts';
import { StatusTag, TaskStatusTag } from './status.tsx';
import type { Board, PlanTree, Target, Task } from './types.ts';

export function PlanTreeView({ tree, board, search, onTarget }: { tree: PlanTree; board?: Board; search: string; onTarget: (id: number) => void }) {
  const { t } = useLang(NS);
  const navigate = useNavigate();
  const targetStatus = new Map(board?.targets.map((x) => [x.id, x]) ?? []);
  const taskStatus = new Map(board?.tasks.map((x) => [x.id, x]) ?? []);

  const targetNode = (x: Target): DataNode => {
    const b = targetStatus.get(x.id);
    return {
      key: `target:${x.id}`,
      icon: <AimOutlined />,
      title: (
        <span data-testid={`tree-target-${x.id}`}>
          {x.indicator} {b ? <StatusTag status={b.status} /> : null}
        </span>
      ),
      isLeaf: true,
    };
  };
  const taskNode = (x: Task): DataNode => {
    const b = taskStatus.get(x.number);
    return {
      key: `task:${x.number}`,
      icon: <CheckSquareOutlined />,
      title: (
        <span data-testid={`tree-task-${x.number}`}>
          {x.number}. {x.title} {b ? <TaskStatusTag status={b.status} /> : null}
          {b?.overdue ? <Tag color="red">{t('board.overdue', { days: b.days_overdue })}</Tag> : null}
        </span>
      ),
      isLeaf: true,
    };
  };
  const data: DataNode[] = tree.actions.map((a) => ({
    key: `action:${a.number}`,
    title: (
      <b>
        {t('plan.action', { n: a.number })} {a.title}
      </b>
    ),
    children: [...a.targets.map(targetNode), ...a.tasks.map(taskNode)],
  }));
  if (tree.targets.length || tree.tasks.length)
    data.push({ key: 'action:-', title: <b>{t('plan.unlinked')}</b>, children: [...tree.targets.map(targetNode), ...tree.tasks.map(taskNode)] });

  return (
    <Tree
      showIcon
      blockNode
      defaultExpandAll
      treeData={data}
      data-testid="plan-tree"
      style={{ fontSize: 13 }}
      onSelect={(keys) => {
        const k = String(keys[0] ?? '');
        if (k.startsWith('target:')) onTarget(Number(k.slice(7)));
        else if (k.startsWith('task:')) navigate(`/plans/${tree.id}/tasks/${encodeURIComponent(k.slice(5))}${search}`);
      }}
    />
  );
}
