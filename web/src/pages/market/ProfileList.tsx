/**
 * The list of technology demands (/market/demands) or offers (/market/offers): published ones
 * for everyone, and the drafts and submissions of one's own organisation or region; filter,
 * sort, page, export; organisation users and officers post new ones from here.
 */
import { PlusOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useLocation, useNavigate } from 'react-router-dom';
import { useUser } from '../../auth.tsx';
import { ProfileTable } from './ProfileTable.tsx';
import { canPost, PageTitle, useM, type ProfileKind } from './shared.tsx';

export default function ProfileList() {
  const { t } = useM();
  const user = useUser();
  const navigate = useNavigate();
  const kind: ProfileKind = useLocation().pathname.startsWith('/market/offers') ? 'offer' : 'demand';
  return (
    <div className="page-card">
      <PageTitle k={kind === 'offer' ? 'offers' : 'demands'} />
      <ProfileTable
        key={kind}
        kind={kind}
        extra={
          canPost(user) ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/market/profiles/new?kind=${kind}`)} data-testid="create">
              {kind === 'offer' ? t('list.newOffer') : t('list.newDemand')}
            </Button>
          ) : null
        }
      />
    </div>
  );
}
