/** Loading and empty states: never a blank page. */
import { Empty, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useLang } from '../i18n.ts';

export function Loading({ tip }: { tip?: string }) {
  const { t } = useLang();
  return (
    <div style={{ padding: 48, textAlign: 'center' }} data-testid="loading">
      <Spin />
      <div style={{ marginTop: 8, color: '#888' }}>{tip ?? t('state.loading')}</div>
    </div>
  );
}

export function EmptyState({ hint, children }: { hint?: ReactNode; children?: ReactNode }) {
  const { t } = useLang();
  return (
    <Empty description={<span>{t('state.empty')}<br /><span style={{ color: '#999' }}>{hint ?? t('state.emptyHint')}</span></span>} data-testid="empty">
      {children}
    </Empty>
  );
}
