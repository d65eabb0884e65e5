/**
 * The API areas, each an encapsulated Fastify plugin registered under /api.
 */
import type { FastifyPluginAsync } from 'fastify';
import { countriesRoutes } from '../modules/countries/countries.routes.ts';
import { registriesApi } from '../modules/registries/registries.routes.ts';
import { regionsApi } from '../modules/regions/regions.routes.ts';
import { importsApi } from '../modules/imports/imports.routes.ts';
import { queryApi } from '../modules/query/query.routes.ts';
import { analyticsApi } from '../modules/analytics/analytics.routes.ts';
import { dashboardApi } from '../modules/analytics/dashboard.routes.ts';
import { qualityApi } from '../modules/quality/quality.routes.ts';
import { plansApi } from '../modules/plans/plans.routes.ts';
import { plansMonitoringApi } from '../modules/plans/plans.monitoring.routes.ts';
import { notificationsApi } from '../modules/notifications/notifications.routes.ts';
import { authApi } from '../modules/auth/auth.routes.ts';
import { auditApi } from '../modules/audit/audit.routes.ts';
import { metaApi } from '../modules/meta/meta.routes.ts';
import { homeApi } from '../modules/home/home.routes.ts';
import { indicatorsApi } from '../modules/indicators/indicators.routes.ts';
import { reportsApi } from '../modules/reports/reports.routes.ts';
import { marketApi } from '../modules/market/market.routes.ts';
import { backupApi } from '../modules/backup/backup.routes.ts';

export const apiModules: FastifyPluginAsync[] = [countriesRoutes, registriesApi, regionsApi, importsApi, queryApi, analyticsApi, dashboardApi, qualityApi, plansApi, plansMonitoringApi, notificationsApi, authApi, auditApi, metaApi, homeApi, indicatorsApi, reportsApi, marketApi, backupApi];
