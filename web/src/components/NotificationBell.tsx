/**
 * The bell in the header: the number of unread notifications (asked every minute), the latest
 * ones on a click, each opening the page it is about (a progress report to review, a
 * supervision case) and marked read. Without a notifications API on the server it shows nothing.
 */
import { BellOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../api.ts';
import { addMessages, useLang } from '../i18n.ts';

addMessages('notifications', {
  zh: { title: '通知', none: '没有通知', readAll: '全部标为已读', unread: '{{n}} 条未读', more: '仅显示最新 {{n}} 条' },
  en: { title: 'Notifications', none: 'No notifications', readAll: 'Mark all read', unread: '{{n}} unread', more: 'Showing the latest {{n}}' },
});

interface Notification {
  id: number;
  kind: string;
  title: string;
  title_en: string;
  body: string;
  body_en: string;
  link: string | null;
  created_at: string;
  read: boolean;
}

const LATEST = 10;

export function NotificationBell() {
  const { t, lang } = useLang('notifications');
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const count = useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: async () => {
      try {
        return (await api.get<{ unread: number }>('/api/notifications/unread-count')).unread;
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null; // no notifications on this server
        throw e;
      }
    },
    refetchInterval: 60_000,
    retry: false,
  });
  const list = useQuery({
    queryKey: ['notifications', 'latest'],
    queryFn: () => api.get<{ items: Notification[]; total: number; unread: number }>('/api/notifications', { pageSize: LATEST }),
    enabled: open,
  });
  if (count.data === null || count.data === undefined) return null;

  const refresh = () => qc.invalidateQueries({ queryKey: ['notifications'] });
  const openItem = async (n: Notification) => {
    setOpen(false);
    if (!n.read) await api.post(`/api/notifications/${n.id}/read`).catch(() => undefined);
    void refresh();
    if (n.link) navigate(n.link);
  };
  const readAll = async () => {
    await api.post('/api/notifications/read', { all: true }).catch(() => undefined);
    void refresh();
  };

  const content = (
    <div style={{ width: 380, maxHeight: 460, overflow: 'auto' }} data-testid="notifications-list">
      {list.isLoading ? null : !list.data?.items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('none')} />
      ) : (
        <List
          size="small"
          dataSource={list.data.items}
          renderItem={(n) => (
            <List.Item onClick={() => openItem(n)} style={{ cursor: n.link ? 'pointer' : undefined, background: n.read ? undefined : '#e6f4ff' }} data-testid={`notification-${n.id}`}>
              <div>
                <div style={{ fontWeight: n.read ? 400 : 600 }}>{lang === 'en' ? n.title_en : n.title}</div>
                <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: 0 }} ellipsis={{ rows: 2 }}>
                  {lang === 'en' ? n.body_en : n.body}
                </Typography.Paragraph>
                <div style={{ fontSize: 11, color: '#aaa' }}>{new Date(n.created_at).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN')}</div>
              </div>
            </List.Item>
          )}
        />
      )}
      {list.data && list.data.total > LATEST ? <div style={{ fontSize: 12, color: '#999', padding: 4 }}>{t('more', { n: LATEST })}</div> : null}
    </div>
  );

  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      title={
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <span>
            {t('title')} · {t('unread', { n: count.data })}
          </span>
          <Button size="small" type="link" disabled={!count.data} onClick={readAll} data-testid="notifications-read-all">
            {t('readAll')}
          </Button>
        </div>
      }
      content={content}
    >
      <Button type="text" aria-label={t('title')} data-testid="notifications-bell">
        <Badge count={count.data} size="small" data-testid="notifications-count" data-count={count.data}>
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
