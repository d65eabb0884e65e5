/**
 * The supervision list (督办清单) from the menu: choose a plan (the first one by default; kept in
 * the address with the as-of date) and see its flagged and escalated items per responsible unit.
 */
import { Button, Input, Select, Space } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorPage } from '../../components/ErrorView.tsx';
import { EmptyState, Loading } from '../../components/PageState.tsx';
import { useLang } from '../../i18n.ts';
import { todayIso, useAsOf, usePlans } from './data.ts';
import { NS } from './messages.ts';
import { SupervisionPanel } from './SupervisionPanel.tsx';
import { DateInput } from '../../components/DateInput.tsx';

export default function SupervisionPage() {
  const { t, lang } = useLang(NS);
  const plans = usePlans();
  const [params, setParams] = useSearchParams();
  const [asOf, setAsOf] = useAsOf();
  if (plans.isLoading) return <Loading />;
  if (plans.error) return <ErrorPage error={plans.error} retry={() => plans.refetch()} />;
  const items = plans.data!.items;
  const chosen = Number(params.get('plan')) || items[0]?.id || null;
  const choose = (id: number) => {
    const next = new URLSearchParams(params);
    next.set('plan', String(id));
    setParams(next, { replace: true });
  };
  const search = asOf === todayIso() ? '' : `?asOf=${asOf}`;
  return (
    <div className="page-card">
      <h2 className="page-title" data-testid="page-title">
        {t('title.supervision')}
        <span className="en">{lang === 'en' ? '督办清单' : 'Supervision'}</span>
      </h2>
      {items.length === 0 ? (
        <EmptyState hint={t('supervision.noPlans')} />
      ) : (
        <>
          <div className="toolbar">
            <Select
              style={{ minWidth: 380 }}
              value={chosen ?? undefined}
              onChange={choose}
              placeholder={t('supervision.choosePlan')}
              options={items.map((p) => ({ value: p.id, label: p.name }))}
              data-testid="supervision-plan"
            />
            <Space.Compact>
              <Space.Addon>{t('plan.asOf')}</Space.Addon>
              <DateInput value={asOf} onChange={(v) => v && setAsOf(v)} allowClear={false} style={{ width: 170 }} data-testid="as-of" />
              <Button onClick={() => setAsOf(null)} disabled={asOf === todayIso()}>
                {t('plan.today')}
              </Button>
            </Space.Compact>
            <span className="spacer" />
            {chosen ? <Link to={`/plans/${chosen}/supervision${search}`}>{t('plan.tabs.supervision')} →</Link> : null}
          </div>
          {chosen ? <SupervisionPanel key={chosen} planId={chosen} asOf={asOf} search={search} /> : null}
        </>
      )}
    </div>
  );
}
