/**
 * The plan-monitoring engine: pure functions from targets, values, tasks and reports to
 * statuses, forecasts, supervision flags and roll-ups. No database, no HTTP — the plans
 * service feeds it rows and stores nothing it computes.
 */
export * from './quarters.ts';
export * from './format.ts';
export * from './status.ts';
export * from './forecast.ts';
export * from './tasks.ts';
