/**
 * Every page of the application with who may open it and where it sits in the menu. Pages
 * load on demand, so the first page stays small. Feature pages add their entry here.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Role } from './auth.tsx';

export type MenuGroup = 'registries' | 'imports' | 'analytics' | 'plans' | 'indicators' | 'market' | 'admin' | 'audit';

export interface AppRoute {
  path: string;
  page: LazyExoticComponent<ComponentType>;
  /** Roles that see it; absent = every logged-in user. */
  roles?: readonly Role[];
  /** Shown in the menu under this group with this label. */
  menu?: { group?: MenuGroup; zh: string; en: string; order?: number };
}

export const OFFICERS: readonly Role[] = ['admin', 'bureau', 'district'];
export const ANALYSTS: readonly Role[] = ['admin', 'bureau', 'district', 'evaluator'];
export const INDICATOR_ROLES: readonly Role[] = ['admin', 'bureau', 'evaluator'];

export const MENU_GROUPS: { key: MenuGroup; labelKey: string; roles?: readonly Role[] }[] = [
  { key: 'registries', labelKey: 'menu.registries' },
  { key: 'imports', labelKey: 'menu.imports', roles: OFFICERS },
  { key: 'analytics', labelKey: 'menu.analytics', roles: ANALYSTS },
  { key: 'plans', labelKey: 'menu.plans' },
  { key: 'indicators', labelKey: 'menu.indicators', roles: ['admin', 'bureau', 'evaluator'] },
  { key: 'market', labelKey: 'menu.market' },
  { key: 'admin', labelKey: 'menu.admin', roles: ['admin'] },
  // 等保 三员分立: the audit log is the auditor's, not the system administrator's.
  { key: 'audit', labelKey: 'menu.auditGroup', roles: ['auditor'] },
];

export const ROUTES: AppRoute[] = [
  { path: '/registries/:kind', page: lazy(() => import('./pages/registry/RegistryList.tsx')) },
  { path: '/registries/:kind/new', page: lazy(() => import('./pages/registry/RegistryForm.tsx')) },
  { path: '/registries/:kind/:id', page: lazy(() => import('./pages/registry/RegistryDetail.tsx')) },
  { path: '/registries/:kind/:id/edit', page: lazy(() => import('./pages/registry/RegistryForm.tsx')) },
  {
    path: '/imports/new',
    page: lazy(() => import('./pages/imports/ImportWizard.tsx')),
    roles: OFFICERS,
    menu: { group: 'imports', zh: '导入向导', en: 'Import wizard', order: 1 },
  },
  {
    path: '/imports',
    page: lazy(() => import('./pages/imports/ImportHistory.tsx')),
    roles: OFFICERS,
    menu: { group: 'imports', zh: '导入记录', en: 'Import history', order: 2 },
  },
  { path: '/imports/:id', page: lazy(() => import('./pages/imports/ImportDetail.tsx')), roles: OFFICERS },
  // Analyses (issue 4): lazy pages; ECharts and the world shapes load with them only.
  { path: '/analytics/dashboard', page: lazy(() => import('./pages/analytics/Dashboard.tsx')), roles: ANALYSTS, menu: { group: 'analytics', zh: '地区看板', en: 'Region dashboard', order: 1 } },
  { path: '/analytics/funding', page: lazy(() => import('./pages/analytics/FundingBreakdown.tsx')), roles: ANALYSTS, menu: { group: 'analytics', zh: '经费分析', en: 'Funding breakdown', order: 2 } },
  { path: '/analytics/tiers', page: lazy(() => import('./pages/analytics/Tiers.tsx')), roles: ANALYSTS, menu: { group: 'analytics', zh: '方阵分档', en: 'Tiers', order: 3 } },
  { path: '/analytics/concentration', page: lazy(() => import('./pages/analytics/Concentration.tsx')), roles: ANALYSTS, menu: { group: 'analytics', zh: '集中度分析', en: 'Concentration', order: 4 } },
  { path: '/analytics/trends', page: lazy(() => import('./pages/analytics/Trends.tsx')), roles: ANALYSTS, menu: { group: 'analytics', zh: '趋势与稳定性', en: 'Trends', order: 5 } },
  { path: '/analytics/map', page: lazy(() => import('./pages/analytics/map/WorldMap.tsx')), roles: ANALYSTS, menu: { group: 'analytics', zh: '合作国家地图', en: 'World map', order: 6 } },
  { path: '/analytics/network', page: lazy(() => import('./pages/analytics/Network.tsx')), roles: ANALYSTS, menu: { group: 'analytics', zh: '合作网络', en: 'Collaboration network', order: 7 } },
  { path: '/analytics/strategy', page: lazy(() => import('./pages/analytics/Strategy.tsx')), roles: ANALYSTS, menu: { group: 'analytics', zh: '国别合作策略', en: 'Country strategy', order: 8 } },
  { path: '/analytics/quality', page: lazy(() => import('./pages/analytics/Quality.tsx')), roles: OFFICERS, menu: { group: 'analytics', zh: '数据质量', en: 'Data quality', order: 9 } },
  { path: '/countries', page: lazy(() => import('./pages/analytics/countries/CountryList.tsx')), menu: { group: 'registries', zh: '国家和地区', en: 'Countries and regions', order: 50 } },
  { path: '/countries/:iso3', page: lazy(() => import('./pages/analytics/countries/CountryDetail.tsx')) },
  { path: '/plans', page: lazy(() => import('./pages/plans/PlanList.tsx')), menu: { group: 'plans', zh: '行动计划', en: 'Action plans', order: 1 } },
  { path: '/plans/supervision', page: lazy(() => import('./pages/plans/SupervisionPage.tsx')), menu: { group: 'plans', zh: '督办清单', en: 'Supervision', order: 2 } },
  { path: '/plans/:id', page: lazy(() => import('./pages/plans/PlanPage.tsx')) },
  { path: '/plans/:id/:tab', page: lazy(() => import('./pages/plans/PlanPage.tsx')) },
  { path: '/plans/:id/tasks/:n', page: lazy(() => import('./pages/plans/TaskDetail.tsx')) },
  // Indicator systems and evaluation (issue 5): evaluators and administrators write, the bureau reads.
  { path: '/indicators/frameworks', page: lazy(() => import('./pages/indicators/FrameworkList.tsx')), roles: INDICATOR_ROLES, menu: { group: 'indicators', zh: '指标体系', en: 'Indicator systems', order: 1 } },
  { path: '/indicators/frameworks/:id', page: lazy(() => import('./pages/indicators/FrameworkPage.tsx')), roles: INDICATOR_ROLES },
  { path: '/indicators/datasets', page: lazy(() => import('./pages/indicators/DatasetList.tsx')), roles: INDICATOR_ROLES, menu: { group: 'indicators', zh: '评价数据集', en: 'Data sets', order: 2 } },
  { path: '/indicators/datasets/:id', page: lazy(() => import('./pages/indicators/DatasetPage.tsx')), roles: INDICATOR_ROLES },
  { path: '/indicators/runs/new', page: lazy(() => import('./pages/indicators/RunNew.tsx')), roles: INDICATOR_ROLES, menu: { group: 'indicators', zh: '运行评价', en: 'Run an evaluation', order: 3 } },
  { path: '/indicators/runs', page: lazy(() => import('./pages/indicators/RunList.tsx')), roles: INDICATOR_ROLES, menu: { group: 'indicators', zh: '评价记录', en: 'Evaluation runs', order: 4 } },
  { path: '/indicators/runs/:id', page: lazy(() => import('./pages/indicators/RunPage.tsx')), roles: INDICATOR_ROLES },
  { path: '/indicators/runs/:id/explain', page: lazy(() => import('./pages/indicators/ExplainPage.tsx')), roles: INDICATOR_ROLES },
  // Technology marketplace (issue 7): everyone signed in searches and reads published profiles; organisations post, officers review.
  { path: '/market', page: lazy(() => import('./pages/market/MarketHome.tsx')), menu: { group: 'market', zh: '技术对接检索', en: 'Matchmaking search', order: 1 } },
  { path: '/market/demands', page: lazy(() => import('./pages/market/ProfileList.tsx')), menu: { group: 'market', zh: '技术需求', en: 'Demands', order: 2 } },
  { path: '/market/offers', page: lazy(() => import('./pages/market/ProfileList.tsx')), menu: { group: 'market', zh: '技术成果', en: 'Offers', order: 3 } },
  { path: '/market/profiles/new', page: lazy(() => import('./pages/market/ProfileForm.tsx')), roles: [...OFFICERS, 'organization'] },
  { path: '/market/profiles/:id', page: lazy(() => import('./pages/market/ProfilePage.tsx')) },
  { path: '/market/profiles/:id/edit', page: lazy(() => import('./pages/market/ProfileForm.tsx')), roles: [...OFFICERS, 'organization'] },
  { path: '/market/review', page: lazy(() => import('./pages/market/ReviewQueue.tsx')), roles: OFFICERS, menu: { group: 'market', zh: '审核需求与成果', en: 'Review queue', order: 4 } },
  { path: '/market/followups', page: lazy(() => import('./pages/market/Followups.tsx')), roles: [...ANALYSTS, 'organization'], menu: { group: 'market', zh: '对接跟踪', en: 'Follow-ups', order: 5 } },
  { path: '/market/funnel', page: lazy(() => import('./pages/market/Funnel.tsx')), roles: ANALYSTS, menu: { group: 'market', zh: '对接漏斗', en: 'Funnel', order: 6 } },
  { path: '/market/alerts', page: lazy(() => import('./pages/market/Alerts.tsx')), roles: [...OFFICERS, 'organization'], menu: { group: 'market', zh: '匹配提醒', en: 'Match alerts', order: 7 } },
  {
    path: '/admin/users',
    page: lazy(() => import('./pages/admin/Users.tsx')),
    roles: ['admin'],
    menu: { group: 'admin', zh: '用户管理', en: 'Users', order: 1 },
  },
  {
    path: '/audit',
    page: lazy(() => import('./pages/audit/AuditLog.tsx')),
    roles: ['auditor'],
    menu: { group: 'audit', zh: '审计日志', en: 'Audit log', order: 1 },
  },
];
