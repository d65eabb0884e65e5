/**
 * One card per target as of the chosen date: status, latest value against the target, the
 * progress ratio with the rates behind it, the forecast at the target year with its method,
 * a sparkline of the reported values, the engine's explanation — and, for a target fed by
 * reported values, entering a new value with its note and evidence.
 */
import { EditOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Tag, Tooltip, Typography, message } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorView.tsx';
import { EmptyState } from '../../components/PageState.tsx';
import { useLang } from '../../i18n.ts';
import { useRefreshPlan } from './data.ts';
import { NS } from './messages.ts';
import { Sparkline } from './Sparkline.tsx';
import { fmt, pct, StatusTag } from './status.tsx';
import { PROGRESS_STATUSES, type BoardTarget, type ValueReply } from './types.ts';

export function TargetCards({ planId, targets, canEnter, highlight }: { planId: number; targets: BoardTarget[]; canEnter: boolean; highlight?: number | null }) {
  const { t } = useLang(NS);
  const [area, setArea] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const [entering, setEntering] = useState<BoardTarget | null>(null);
  const areas = [...new Set(targets.map((x) => x.area).filter((a): a is string => !!a))];
  const shown = targets.filter((x) => (!area || x.area === area) && (!status || x.status === status));
  return (
    <div data-testid="target-cards">
      <div className="toolbar">
        {areas.length > 1 ? (
          <Select allowClear placeholder={t('plan.allAreas')} style={{ width: 260 }} value={area} onChange={setArea} options={areas.map((a) => ({ value: a, label: a }))} data-testid="filter-area" />
        ) : null}
        <Select
          allowClear
          placeholder={t('plan.allStatuses')}
          style={{ width: 200 }}
          value={status}
          onChange={setStatus}
          options={PROGRESS_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          data-testid="filter-status"
        />
      </div>
      {shown.length === 0 ? (
        <EmptyState hint={targets.length ? t('board.emptyFiltered') : t('board.emptyPlan')} />
      ) : (
        <Row gutter={[12, 12]}>
          {shown.map((x) => (
            <Col key={x.id} xs={24} md={12} xxl={8}>
              <TargetCard target={x} canEnter={canEnter} onEnter={() => setEntering(x)} highlight={highlight === x.id} />
            </Col>
          ))}
        </Row>
      )}
      {entering ? <ValueModal planId={planId} target={entering} onClose={() => setEntering(null)} /> : null}
    </div>
  );
}

function TargetCard({ target: x, canEnter, onEnter, highlight }: { target: BoardTarget; canEnter: boolean; onEnter: () => void; highlight: boolean }) {
  const { t, lang } = useLang(NS);
  const unit = x.unit ? ` ${x.unit}` : '';
  const rates =
    x.observed_rate !== null && x.required_rate !== null
      ? lang === 'en'
        ? `observed ${pct(x.observed_rate, 2)} / required ${pct(x.required_rate, 2)} a year`
        : `实际年均 ${pct(x.observed_rate, 2)} ÷ 所需年均 ${pct(x.required_rate, 2)}`
      : null;
  return (
    <Card
      id={`target-${x.id}`}
      size="small"
      data-testid={`target-card-${x.id}`}
      data-indicator={x.indicator}
      style={{ height: '100%', borderColor: highlight ? '#1677ff' : undefined, boxShadow: highlight ? '0 0 0 2px #1677ff33' : undefined }}
      title={
        <Tooltip title={x.indicator}>
          <span data-testid="target-indicator">{x.indicator}</span>
        </Tooltip>
      }
      extra={<StatusTag status={x.status} />}
    >
      <div style={{ color: '#888', fontSize: 12, marginBottom: 6 }}>
        {[x.area, x.action_number ? t('plan.action', { n: x.action_number }) : null].filter(Boolean).join(' · ')}
        {'  '}
        <Tag bordered={false} style={{ fontSize: 11 }}>
          {x.value_source === 'registry' ? t('card.registry') : t('card.reported')}
        </Tag>
        {x.direction === 'decrease' ? <Tag bordered={false}>{t('card.decrease')}</Tag> : null}
        {x.deadline_passed ? <Tag color="red">{t('card.deadlinePassed')}</Tag> : null}
      </div>
      <Space size="large" wrap style={{ marginBottom: 4 }}>
        <div>
          <div style={{ color: '#888', fontSize: 12 }}>{t('card.latest')}</div>
          <div style={{ fontSize: 20, fontWeight: 600 }} data-testid="target-latest">
            {fmt(x.latest)}
            <span style={{ fontSize: 12, fontWeight: 400 }}>{unit}</span>
          </div>
          <div style={{ color: '#aaa', fontSize: 11 }}>{x.latest_date ?? '—'}</div>
        </div>
        <div>
          <div style={{ color: '#888', fontSize: 12 }}>{t('card.target')}</div>
          <div style={{ fontSize: 16 }} data-testid="target-value">
            {fmt(x.target)}
            <span style={{ fontSize: 12 }}>{unit}</span>
          </div>
          <div style={{ color: '#aaa', fontSize: 11 }}>{x.target_year ?? '—'}</div>
        </div>
        <div>
          <div style={{ color: '#888', fontSize: 12 }}>{t('card.baseline')}</div>
          <div style={{ fontSize: 16 }}>{fmt(x.baseline)}</div>
          <div style={{ color: '#aaa', fontSize: 11 }}>{x.baseline_year ?? '—'}</div>
        </div>
        <div>
          <div style={{ color: '#888', fontSize: 12 }}>{t('card.ratio')}</div>
          <Tooltip title={rates}>
            <div style={{ fontSize: 16 }} data-testid="target-ratio" data-value={x.ratio ?? ''}>
              {pct(x.ratio)}
            </div>
          </Tooltip>
          <div style={{ color: '#aaa', fontSize: 11 }}>{t(`method.${x.method}`, { defaultValue: x.method }).split('（')[0].split(' (')[0]}</div>
        </div>
      </Space>
      <Sparkline target={x} />
      <div style={{ fontSize: 12, marginTop: 4 }} data-testid="target-forecast" data-value={x.forecast ?? ''}>
        <b>{t('card.forecast', { year: x.target_year ?? '—' })}：</b>
        {x.forecast === null ? (
          <span style={{ color: '#999' }}>{t('card.forecastNone')}</span>
        ) : (
          <>
            {fmt(x.forecast)}
            {unit}{' '}
            {x.forecast_meets_target === null ? null : (
              <Tag color={x.forecast_meets_target ? 'green' : 'orange'} bordered={false}>
                {x.forecast_meets_target ? t('card.meets') : t('card.misses')}
              </Tag>
            )}
          </>
        )}
        {x.forecast_method ? (
          <div style={{ color: '#888' }} data-testid="forecast-method">
            {t('card.method')}：{t(`method.${x.forecast_method}`, { defaultValue: x.forecast_method })}
          </div>
        ) : null}
      </div>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '6px 0 0' }} ellipsis={{ rows: 2, expandable: true, symbol: lang === 'en' ? 'more' : '展开' }}>
        {lang === 'en' ? x.explanation_en : x.explanation_zh}
        {x.forecast_explanation_zh ? ' ' + (lang === 'en' ? x.forecast_explanation_en : x.forecast_explanation_zh) : ''}
      </Typography.Paragraph>
      {canEnter && x.value_source === 'reported' ? (
        <Button size="small" icon={<EditOutlined />} onClick={onEnter} style={{ marginTop: 8 }} data-testid="enter-value">
          {t('card.enter')}
        </Button>
      ) : null}
    </Card>
  );
}

interface ValueForm {
  date: string;
  value: number | null;
  unit?: string;
  note?: string;
  evidence?: string;
}

function ValueModal({ planId, target, onClose }: { planId: number; target: BoardTarget; onClose: () => void }) {
  const { t, lang } = useLang([NS, 'common']);
  const refresh = useRefreshPlan();
  const [form] = Form.useForm<ValueForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [warnings, setWarnings] = useState<ValueReply['warnings']>([]);

  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<ValueReply>(`/api/plans/${planId}/values`, {
        target_id: target.id,
        date: v.date.trim(),
        value: v.value,
        unit: v.unit?.trim() || undefined,
        note: v.note?.trim() || undefined,
        evidence: v.evidence?.trim() || undefined,
      });
      await refresh(planId);
      void message.success(t('value.saved'));
      if (r.warnings.length) setWarnings(r.warnings);
      else onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('value.title', { indicator: target.indicator })}
      onCancel={onClose}
      onOk={warnings.length ? onClose : save}
      okText={warnings.length ? t('common:action.close') : t('common:action.save')}
      cancelText={t('common:action.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'value-save' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ date: '' }} data-testid="value-form">
        <Form.Item
          name="date"
          label={t('value.date')}
          rules={[
            { required: true, message: t('value.required', { field: t('value.date') }) },
            { pattern: /^\s*(\d{4}|\d{4}-\d{2}-\d{2})\s*$/, message: t('value.dateInvalid') },
          ]}
        >
          <Input placeholder="2025-06-30" data-testid="value-date" />
        </Form.Item>
        <Form.Item name="value" label={t('value.value')} rules={[{ required: true, message: t('value.required', { field: t('value.value') }) }]}>
          <InputNumber style={{ width: 200 }} data-testid="value-value" suffix={target.unit || undefined} />
        </Form.Item>
        <Form.Item name="unit" label={t('value.unit', { unit: target.unit || '—' })}>
          <Input style={{ width: 200 }} data-testid="value-unit" />
        </Form.Item>
        <Form.Item name="note" label={t('value.note')}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="value-note" />
        </Form.Item>
        <Form.Item name="evidence" label={t('value.evidence')}>
          <Input maxLength={2000} data-testid="value-evidence" />
        </Form.Item>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
      {warnings.length ? (
        <Alert
          type="warning"
          showIcon
          data-testid="value-warnings"
          title={warnings.map((w) => (
            <div key={w.code}>
              {lang === 'en' ? w.message_en : w.message} <code>{w.code}</code>
            </div>
          ))}
        />
      ) : null}
    </Modal>
  );
}
