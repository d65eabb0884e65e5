/**
 * The frame of the application: log-in gate, menu by role, language switch, user menu, and
 * the pages of ROUTES inside an error boundary so a broken page never blanks the app.
 */
import { DownOutlined, GlobalOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Dropdown, Layout, Menu, Space, Tag, Typography, type MenuProps } from 'antd';
import { Component, Suspense, lazy, useMemo, useState, type ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { api } from './api.ts';
import { hasRole, useAuth, type User } from './auth.tsx';
import { ErrorPage, NotFoundPage } from './components/ErrorView.tsx';
import { NotificationBell } from './components/NotificationBell.tsx';
import { Loading } from './components/PageState.tsx';
import { setLang, useLang } from './i18n.ts';
import { LoginPage } from './pages/Login.tsx';
import { MENU_GROUPS, ROUTES } from './routes.tsx';
import type { RegistryMeta } from './pages/registry/meta.ts';

const HomePage = lazy(() => import('./pages/Home.tsx'));
const PasswordPage = lazy(() => import('./pages/Password.tsx'));

class Boundary extends Component<{ children: ReactNode; resetKey: string }, { error: unknown; key: string }> {
  state = { error: null as unknown, key: '' };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { error: unknown; key: string }) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }
  render() {
    return this.state.error ? <ErrorPage error={this.state.error} retry={() => this.setState({ error: null })} /> : this.props.children;
  }
}

function useMenu(user: User): MenuProps['items'] {
  const { t, lang } = useLang();
  const meta = useQuery({ queryKey: ['meta', 'registries'], queryFn: () => api.get<{ registries: RegistryMeta[] }>('/api/meta/registries'), staleTime: Infinity });
  return useMemo(() => {
    const items: NonNullable<MenuProps['items']> = [{ key: '/', label: <Link to="/">{t('menu.home')}</Link> }];
    for (const g of MENU_GROUPS) {
      if (g.roles && !hasRole(user, g.roles)) continue;
      const children: { key: string; label: ReactNode; order: number }[] = [];
      if (g.key === 'registries') {
        (meta.data?.registries ?? []).forEach((r, i) =>
          children.push({ key: `/registries/${r.kind}`, label: <Link to={`/registries/${r.kind}`}>{lang === 'en' ? r.en : r.zh}</Link>, order: i }),
        );
      }
      for (const r of ROUTES) {
        if (r.menu?.group !== g.key || (r.roles && !hasRole(user, r.roles))) continue;
        children.push({ key: r.path, label: <Link to={r.path}>{lang === 'en' ? r.menu.en : r.menu.zh}</Link>, order: r.menu.order ?? 100 });
      }
      if (children.length === 0) continue;
      children.sort((a, b) => a.order - b.order);
      items.push({ key: g.key, label: t(g.labelKey), children: children.map(({ key, label }) => ({ key, label })) });
    }
    return items;
  }, [user, meta.data, t, lang]);
}

function selectedKey(pathname: string): string {
  const keys = ['/', ...ROUTES.filter((r) => r.menu).map((r) => r.path)];
  const reg = pathname.match(/^\/registries\/[^/]+/);
  if (reg) return reg[0];
  return keys.filter((k) => pathname === k || (k !== '/' && pathname.startsWith(k + '/'))).sort((a, b) => b.length - a.length)[0] ?? pathname;
}

function Shell({ user }: { user: User }) {
  const { t, lang } = useLang();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const items = useMenu(user);
  const [collapsed, setCollapsed] = useState(false);
  const userMenu: MenuProps = {
    items: [
      { key: 'password', label: t('action.changePassword') },
      { key: 'logout', label: t('action.logout') },
    ],
    onClick: async ({ key }) => {
      if (key === 'logout') {
        await logout();
        navigate('/login');
      } else navigate('/password');
    },
  };
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={220} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
        <div style={{ padding: '16px 20px', fontWeight: 600, fontSize: 16, whiteSpace: 'nowrap', overflow: 'hidden' }}>
          <Link to="/">{collapsed ? 'IL' : t('app.short')}</Link>
          {!collapsed && <div style={{ fontSize: 12, fontWeight: 400, color: '#888' }}>{t('app.subtitle')}</div>}
        </div>
        <Menu mode="inline" items={items} selectedKeys={[selectedKey(location.pathname)]} defaultOpenKeys={['registries', 'imports']} data-testid="main-menu" />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 24px', display: 'flex', justifyContent: 'flex-end', alignItems: 'center', borderBottom: '1px solid #f0f0f0' }}>
          <Space size="middle">
            <NotificationBell />
            <Button icon={<GlobalOutlined />} onClick={() => setLang(lang === 'en' ? 'zh' : 'en')} data-testid="lang-switch">
              {t('lang.switch')}
            </Button>
            <Dropdown menu={userMenu} trigger={['click']}>
              <Button data-testid="user-menu">
                <UserOutlined /> {user.display_name || user.username} <Tag style={{ marginInlineEnd: 0 }}>{t(`roles.${user.role}`)}</Tag> <DownOutlined />
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }}>
          <Boundary resetKey={location.pathname}>
            <Suspense fallback={<Loading />}>
              <Routes>
                <Route path="/" element={<HomePage />} />
                <Route path="/password" element={<PasswordPage />} />
                <Route path="/login" element={<Navigate to="/" replace />} />
                {ROUTES.filter((r) => !r.roles || hasRole(user, r.roles)).map((r) => (
                  <Route key={r.path} path={r.path} element={<r.page />} />
                ))}
                <Route path="*" element={<NotFoundPage />} />
              </Routes>
            </Suspense>
          </Boundary>
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', color: '#999' }}>
          <Typography.Text type="secondary">innolink · {t('app.subtitle')}</Typography.Text>
        </Layout.Footer>
      </Layout>
    </Layout>
  );
}

export function App() {
  const { user, loading } = useAuth();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!user) {
    return location.pathname === '/login' ? <LoginPage /> : <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  return <Shell user={user} />;
}
