/**
 * The framework as an editable tree: rename nodes (code, Chinese and English names), add
 * indicators and dimensions, remove a branch, set directions, weights, units and sources, and
 * weight a node's children by AHP. Saving posts the whole tree as a new version; the version
 * shown stays as it was, and so do the runs that used it.
 */
import { ApartmentOutlined, DeleteOutlined, NodeIndexOutlined, PlusOutlined, SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Tooltip, message } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorView.tsx';
import { AhpDialog } from './AhpDialog.tsx';
import { BASE, nodeName, pct, useRefresh } from './data.ts';
import { useI } from './shared.tsx';
import { childrenOf, freeCode, inTree, newUid, nodesForSave, problems, subtree, toDraft, treeRows, type DraftNode, type TreeRow } from './tree.ts';
import type { FrameworkDetail } from './types.ts';

interface Props {
  framework: FrameworkDetail;
  onSaved: (d: FrameworkDetail) => void;
}

export function TreeEditor({ framework, onSaved }: Props) {
  const { t, lang } = useI();
  const refresh = useRefresh();
  const [draft, setDraft] = useState<DraftNode[]>(() => toDraft(framework.nodes));
  const [dirty, setDirty] = useState(false);
  const [ahpFor, setAhpFor] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [askSave, setAskSave] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{ label?: string; note?: string }>();

  const rows = useMemo(() => treeRows(draft), [draft]);
  const [expanded, setExpanded] = useState<string[]>(() => draft.filter((n) => n.type === 'aggregate').map((n) => n.uid));
  const name = (n: { code: string; name: string | null; name_en: string | null }) => nodeName(n, lang);
  const issues = problems(draft, name);

  const change = (fn: (nodes: DraftNode[]) => DraftNode[]) => {
    setDraft((d) => fn(d));
    setDirty(true);
  };
  const patch = (uid: string, p: Partial<DraftNode>) =>
    change((nodes) => {
      const old = nodes.find((n) => n.uid === uid);
      if (!old) return nodes;
      // A renamed code follows into its children's parent and any indicator's denominator.
      const renamed = p.code !== undefined && p.code !== old.code ? { from: old.code, to: p.code } : null;
      return nodes.map((n) => {
        if (n.uid === uid) return { ...n, ...p };
        if (!renamed) return n;
        return { ...n, parent: n.parent === renamed.from ? renamed.to : n.parent, denominator: n.denominator === renamed.from ? renamed.to : n.denominator };
      });
    });

  const add = (parent: DraftNode, type: 'indicator' | 'aggregate') =>
    change((nodes) => {
      const base = { name_en: null, level: null, direction: 1 as const, weight: 1, unit: null, source: null, target: null, denominator: null };
      if (type === 'indicator') {
        const code = freeCode(nodes, 'IND');
        return [...nodes, { ...base, uid: newUid(), code, name: t('editor.newIndicator'), type: 'indicator', parent: parent.code }];
      }
      const code = freeCode(nodes, 'DIM');
      const dim: DraftNode = { ...base, uid: newUid(), code, name: t('editor.newDimension'), type: 'aggregate', parent: parent.code };
      const ind: DraftNode = { ...base, uid: newUid(), code: freeCode([...nodes, dim], 'IND'), name: t('editor.newIndicator'), type: 'indicator', parent: code };
      setExpanded((e) => [...e, parent.uid, dim.uid]);
      return [...nodes, dim, ind];
    });

  const remove = (node: DraftNode) =>
    change((nodes) => {
      const gone = subtree(nodes, node.code);
      return nodes.filter((n) => !(inTree(n) && gone.has(n.code)));
    });

  const reset = () => {
    setDraft(toDraft(framework.nodes));
    setDirty(false);
    setError(null);
  };

  const save = async () => {
    const v = form.getFieldsValue();
    setSaving(true);
    setError(null);
    try {
      const d = await api.post<FrameworkDetail>(`${BASE}/frameworks/${framework.id}/versions`, {
        ...(v.label?.trim() ? { label: v.label.trim() } : {}),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        nodes: nodesForSave(draft),
      });
      message.success(t('editor.saved', { v: d.version.version }));
      setAskSave(false);
      setDirty(false);
      await refresh();
      onSaved(d);
    } catch (e) {
      setError(e);
      setAskSave(false);
    } finally {
      setSaving(false);
    }
  };

  const ahpNode = ahpFor ? draft.find((n) => n.uid === ahpFor) : undefined;
  const ahpKids = ahpNode ? childrenOf(draft, ahpNode.code) : [];
  const rootCode = rows[0]?.code;

  return (
    <div data-testid="tree-editor">
      <Alert type="info" showIcon title={t('editor.help', { next: framework.latest_version + 1 })} style={{ marginBottom: 12 }} />
      <div className="toolbar">
        {dirty ? <Tag color="orange" data-testid="editor-dirty">{t('editor.changed')}</Tag> : null}
        <span className="spacer" />
        <Button icon={<UndoOutlined />} onClick={reset} disabled={!dirty}>
          {t('editor.reset')}
        </Button>
        <Button type="primary" icon={<SaveOutlined />} onClick={() => setAskSave(true)} disabled={!dirty || issues.length > 0} data-testid="editor-save">
          {t('editor.save')}
        </Button>
      </div>
      {issues.length ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="editor-problems"
          title={t('editor.problems')}
          description={
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {issues.map((p, i) => (
                <li key={i}>{t(p.key, p.params)}</li>
              ))}
            </ul>
          }
        />
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
      <Table<TreeRow>
        size="small"
        rowKey="uid"
        pagination={false}
        dataSource={rows}
        expandable={{ expandedRowKeys: expanded, onExpandedRowsChange: (k) => setExpanded(k as string[]) }}
        scroll={{ x: 'max-content' }}
        data-testid="editor-table"
        columns={[
          {
            key: 'name',
            title: t('f.name'),
            width: 270,
            render: (_: unknown, n) => (
              <Input
                size="small"
                value={n.name ?? ''}
                onChange={(e) => patch(n.uid, { name: e.target.value })}
                style={{ width: Math.max(140, 230 - n.depth * 24), fontWeight: n.type === 'aggregate' ? 600 : 400 }}
                data-testid={`edit-name-${n.code}`}
                aria-label={`${t('f.name')} ${n.code}`}
              />
            ),
          },
          {
            key: 'code',
            title: t('f.code'),
            width: 130,
            render: (_: unknown, n) => (
              <Input size="small" value={n.code} onChange={(e) => patch(n.uid, { code: e.target.value.replace(/\s/g, '') })} style={{ width: 120, fontFamily: 'monospace' }} data-testid={`edit-code-${n.code}`} aria-label={`${t('f.code')} ${n.code}`} />
            ),
          },
          { key: 'type', title: t('f.type'), width: 110, render: (_: unknown, n) => <Tag color={n.type === 'indicator' ? 'default' : 'blue'}>{t(`type.${n.type}`)}</Tag> },
          {
            key: 'direction',
            title: t('f.direction'),
            width: 110,
            render: (_: unknown, n) =>
              n.type === 'indicator' ? (
                <Select
                  size="small"
                  value={n.direction}
                  onChange={(v) => patch(n.uid, { direction: v })}
                  style={{ width: 100 }}
                  options={[
                    { value: 1, label: t('dir.pos') },
                    { value: -1, label: t('dir.neg') },
                  ]}
                  data-testid={`edit-direction-${n.code}`}
                />
              ) : null,
          },
          {
            key: 'weight',
            title: t('f.weight'),
            width: 190,
            render: (_: unknown, n) =>
              n.code === rootCode ? null : (
                <Space size={4}>
                  <InputNumber
                    size="small"
                    min={0}
                    step={0.1}
                    value={n.weight}
                    onChange={(v) => patch(n.uid, { weight: v === null ? Number.NaN : Number(v) })}
                    style={{ width: 100 }}
                    data-testid={`edit-weight-${n.code}`}
                    aria-label={`${t('f.weight')} ${n.code}`}
                  />
                  <span style={{ color: '#999', fontSize: 12 }}>{pct(n.share, lang)}</span>
                </Space>
              ),
          },
          {
            key: 'unit',
            title: t('f.unit'),
            width: 130,
            render: (_: unknown, n) => (n.type === 'indicator' ? <Input size="small" value={n.unit ?? ''} onChange={(e) => patch(n.uid, { unit: e.target.value })} style={{ width: 120 }} aria-label={`${t('f.unit')} ${n.code}`} /> : null),
          },
          {
            key: 'name_en',
            title: t('f.nameEn'),
            width: 200,
            render: (_: unknown, n) => <Input size="small" value={n.name_en ?? ''} onChange={(e) => patch(n.uid, { name_en: e.target.value })} style={{ width: 190 }} aria-label={`${t('f.nameEn')} ${n.code}`} />,
          },
          {
            key: 'source',
            title: t('f.source'),
            width: 200,
            render: (_: unknown, n) => (n.type === 'indicator' ? <Input size="small" value={n.source ?? ''} onChange={(e) => patch(n.uid, { source: e.target.value })} style={{ width: 190 }} aria-label={`${t('f.source')} ${n.code}`} /> : null),
          },
          {
            key: 'actions',
            title: t('f.actions'),
            fixed: 'right',
            width: 150,
            render: (_: unknown, n) => (
              <Space size={2}>
                {n.type === 'aggregate' ? (
                  <>
                    <Tooltip title={t('editor.addIndicator')}>
                      <Button size="small" type="text" icon={<PlusOutlined />} onClick={() => add(n, 'indicator')} data-testid={`add-indicator-${n.code}`} aria-label={t('editor.addIndicator')} />
                    </Tooltip>
                    <Tooltip title={t('editor.addDimension')}>
                      <Button size="small" type="text" icon={<ApartmentOutlined />} onClick={() => add(n, 'aggregate')} data-testid={`add-dimension-${n.code}`} aria-label={t('editor.addDimension')} />
                    </Tooltip>
                    <Tooltip title={(n.children?.length ?? 0) >= 2 ? t('editor.ahp') : t('editor.ahpNeedTwo')}>
                      <Button size="small" type="text" icon={<NodeIndexOutlined />} disabled={(n.children?.length ?? 0) < 2 || (n.children?.length ?? 0) > 15} onClick={() => setAhpFor(n.uid)} data-testid={`ahp-${n.code}`} aria-label={t('editor.ahp')} />
                    </Tooltip>
                  </>
                ) : null}
                {n.code !== rootCode ? (
                  <Popconfirm title={t('editor.removeConfirm', { name: name(n) })} onConfirm={() => remove(n)} okText={t('common.delete')} cancelText={t('common:action.cancel')}>
                    <Tooltip title={t('editor.remove')}>
                      <Button size="small" type="text" danger icon={<DeleteOutlined />} data-testid={`remove-${n.code}`} aria-label={t('editor.remove')} />
                    </Tooltip>
                  </Popconfirm>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      {ahpNode ? (
        <AhpDialog
          parent={ahpNode}
          children={ahpKids}
          onClose={() => setAhpFor(null)}
          onUse={(w) => {
            change((nodes) => nodes.map((n) => (inTree(n) && n.parent === ahpNode.code && w[n.code] !== undefined ? { ...n, weight: w[n.code] } : n)));
            message.success(t('ahp.used', { name: name(ahpNode) }));
            setAhpFor(null);
          }}
        />
      ) : null}
      <Modal
        open={askSave}
        title={t('editor.save')}
        onCancel={() => setAskSave(false)}
        onOk={save}
        confirmLoading={saving}
        okText={t('common:action.save')}
        cancelText={t('common:action.cancel')}
        okButtonProps={{ 'data-testid': 'editor-save-confirm' }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item name="label" label={t('editor.label')}>
            <Input data-testid="editor-save-label" />
          </Form.Item>
          <Form.Item name="note" label={t('editor.note')}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
