/**
 * The officers' review queue: demands and offers of their region submitted for review (the
 * server limits unpublished profiles to the officer's scope). Each opens on its page, where
 * it is approved, returned with comments or rejected.
 */
import { Typography } from 'antd';
import { ProfileTable } from './ProfileTable.tsx';
import { PageTitle, useM } from './shared.tsx';

export default function ReviewQueue() {
  const { t } = useM();
  return (
    <div className="page-card">
      <PageTitle k="review" />
      <Typography.Paragraph type="secondary">{t('review.intro')}</Typography.Paragraph>
      <ProfileTable status="submitted" emptyHint={t('review.empty')} testid="review-table" />
    </div>
  );
}
