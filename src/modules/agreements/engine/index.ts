/**
 * The post-award engine (issue 16): pure functions from a task agreement, its funding lines,
 * reports, change requests, outputs-registry records and outcome reports to validations, rule
 * outcomes, schedules, acceptance figures, performance data and portfolio views. No database, no
 * HTTP: the agreements service feeds it rows and stores what it decides. See README.md.
 */
export * from './issues.ts';
export * from './dates.ts';
export * from './agreement.ts';
export * from './schedule.ts';
export * from './changes.ts';
export * from './outputs.ts';
export * from './reports.ts';
export * from './acceptance.ts';
export * from './midterm.ts';
export * from './outcomes.ts';
export * from './portfolio.ts';
export * from './supervision.ts';
