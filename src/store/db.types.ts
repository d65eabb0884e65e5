/**
 * Row types of every table, generated from the migrated schema by `npm run db:types`
 * (src/store/typegen.ts). Do not edit: change the schema with a migration, then run the command;
 * db.types.test.ts fails while this file is stale.
 *
 * Values are typed as src/store/db.ts returns them on both engines: numeric and int8 as
 * number, date as a 'YYYY-MM-DD' string, timestamptz as a Date. json/jsonb columns read as
 * parsed JSON and are written as JSON text (JSON.stringify): pg would send a JS array as a
 * PostgreSQL array. `Generated` columns have a default (may be left out of an insert),
 * `GeneratedAlways` ones are identity or computed (may not be written).
 */
import type { ColumnType } from 'kysely';

/** A column with a default: may be left out of an insert (Kysely's own Generated does not look inside ColumnType). */
export type Generated<T> = T extends ColumnType<infer S, infer I, infer U> ? ColumnType<S, I | undefined, U> : ColumnType<T, T | undefined, T>;
/** An identity or computed column: read only. */
export type GeneratedAlways<T> = T extends ColumnType<infer S, unknown, unknown> ? ColumnType<S, never, never> : ColumnType<T, never, never>;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A json/jsonb column: parsed on reading, JSON text on writing. */
export type Json = ColumnType<JsonValue, string, string>;
/** A timestamptz column: a Date on reading; a Date or an ISO string on writing. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface AdminRegionsTable {
  id: GeneratedAlways<number>;
  code: string | null;
  name: string;
  short_name: string;
  name_en: string | null;
  level: 'province' | 'city' | 'district' | 'unit';
  kind: Generated<'province' | 'city' | 'district' | 'county' | 'county_city' | 'park' | 'city_direct' | 'former_district' | 'other'>;
  parent_id: number | null;
  path: Generated<string>;
  note: string | null;
  import_id: number | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface AggFundingTable {
  line_region_id: number | null;
  region_id: number | null;
  year: number;
  country_iso3: string | null;
  field: string | null;
  classification: string;
  currency: string;
  amount: number;
  records: number;
}

export interface AggNetCellTable {
  region_id: number | null;
  year: number | null;
  classification: string;
  projects: number;
  skipped: number;
}

export interface AggNetCountryTable {
  region_id: number | null;
  year: number | null;
  classification: string;
  country_iso3: string;
  projects: number;
  parts: number;
}

export interface AggNetPairTable {
  region_id: number | null;
  year: number | null;
  classification: string;
  a: string;
  b: string;
  projects: number;
  weight: number;
}

export interface AggProjectCountriesTable {
  project_id: number;
  region_id: number | null;
  year: number | null;
  classification: string;
  country_iso3: string | null;
  parts: number;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  key_id: string | null;
  epoch_seq: number | null;
}

export interface AuditLogTable {
  seq: GeneratedAlways<number>;
  at: Timestamp;
  actor: string;
  actor_user_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: Json | null;
  after: Json | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface AwardBudgetTable {
  project_id: number;
  application_id: number | null;
  source: string;
  year: number;
  category: string;
  amount_wan: number;
}

export interface AwardCommitmentsTable {
  project_id: number;
  application_id: number | null;
  kind: string;
  target: number;
  unit: string;
  position: Generated<number>;
}

export interface CountriesTable {
  iso3: string;
  iso2: string;
  numeric_code: string | null;
  name_zh: string;
  name_en: string;
  kind: Generated<'country' | 'region'>;
  sovereign_iso3: string | null;
  note: string | null;
  search: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface CountryAliasesTable {
  alias_key: string;
  alias: string;
  iso3: string;
  lang: string | null;
  source: Generated<string>;
}

export interface CountryGroupMembersTable {
  group_code: string;
  iso3: string;
  since: string | null;
  source: string | null;
  import_id: number | null;
}

export interface CountryGroupsTable {
  code: string;
  name_zh: string;
  name_en: string;
  description: string | null;
}

export interface CountryIndicatorsTable {
  id: GeneratedAlways<number>;
  iso3: string;
  indicator: string;
  year: number;
  value_num: number | null;
  value_text: string | null;
  unit: string | null;
  source: string | null;
  import_id: number | null;
}

export interface FactsTable {
  id: GeneratedAlways<number>;
  subject: string;
  region_id: number | null;
  country_iso3: string | null;
  indicator: string;
  year: number | null;
  period_from: number | null;
  period_to: number | null;
  value: number | null;
  value_text: string | null;
  unit: string | null;
  note: string | null;
  source: string | null;
  import_id: number | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface FundingTable {
  id: GeneratedAlways<number>;
  project_id: number | null;
  region_id: number | null;
  year: number;
  level: 'national' | 'provincial' | 'municipal' | 'district' | 'other' | null;
  source: string | null;
  country_iso3: string | null;
  amount: number;
  currency: Generated<string>;
  unit: Generated<'元' | '万元' | '亿元'>;
  amount_wan: GeneratedAlways<number | null>;
  note: string | null;
  classification: Generated<'public' | 'internal' | 'restricted'>;
  import_id: number | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface ImportChangesTable {
  seq: GeneratedAlways<number>;
  import_id: number;
  table_name: string;
  record_key: string;
  before: Json;
}

export interface ImportsTable {
  id: GeneratedAlways<number>;
  kind: string;
  file_name: string;
  file_hash: string;
  file_size: number;
  actor: string;
  region_context: string | null;
  options: Generated<Json>;
  status: 'running' | 'done' | 'failed' | 'undone';
  rows_read: Generated<number>;
  rows_imported: Generated<number>;
  rows_rejected: Generated<number>;
  issue_count: Generated<number>;
  issues: Generated<Json>;
  started_at: Generated<Timestamp>;
  finished_at: Timestamp | null;
  undone_at: Timestamp | null;
  undone_by: string | null;
}

export interface IndicatorDatasetUnitsTable {
  dataset_id: number;
  position: number;
  code: string;
  name: string | null;
  time: number | null;
  groups: Generated<Json>;
}

export interface IndicatorDatasetsTable {
  id: GeneratedAlways<number>;
  framework_id: number;
  name: string;
  description: string | null;
  source_file: string | null;
  source_format: 'csv' | 'xlsx' | 'json' | 'api';
  columns: string[];
  group_columns: Generated<string[]>;
  unit_count: number;
  panel: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface IndicatorFrameworkVersionsTable {
  id: GeneratedAlways<number>;
  framework_id: number;
  version: number;
  label: string | null;
  note: string | null;
  default_methods: Json | null;
  source_file: string | null;
  source_format: 'csv' | 'xlsx' | 'yaml' | 'json' | 'api';
  created_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface IndicatorFrameworksTable {
  id: GeneratedAlways<number>;
  key: string;
  name: string;
  name_en: string | null;
  description: string | null;
  builtin: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface IndicatorNodesTable {
  version_id: number;
  position: number;
  code: string;
  name: string | null;
  name_en: string | null;
  type: 'indicator' | 'aggregate' | 'group' | 'denominator' | 'other';
  level: number | null;
  parent: string | null;
  direction: Generated<-1 | 1>;
  weight: Generated<number>;
  unit: string | null;
  source: string | null;
  target: number | null;
  denominator: string | null;
}

export interface IndicatorRunResultsTable {
  run_id: number;
  position: number;
  unit: string;
  name: string | null;
  score: number | null;
  rank: number | null;
  median_rank: number | null;
  rank_lo: number | null;
  rank_hi: number | null;
  dimensions: Generated<Json>;
}

export interface IndicatorRunsTable {
  id: GeneratedAlways<number>;
  framework_id: number;
  version_id: number;
  dataset_id: number;
  label: string | null;
  request: Json;
  methods: Json;
  seed: number;
  engine_version: string;
  data_hash: string;
  units_in: number;
  units_out: number;
  replications: number | null;
  weights: Json;
  node_weights: Json;
  diagnostics: Json;
  duration_ms: number | null;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface IndicatorValuesTable {
  dataset_id: number;
  position: number;
  code: string;
  value: number;
}

export interface LoginThrottleTable {
  key: string;
  failures: Generated<number>;
  window_start: Generated<Timestamp>;
  locked_until: Timestamp | null;
}

export interface MarketAlertsTable {
  id: GeneratedAlways<number>;
  org_id: number | null;
  user_id: number | null;
  for_profile_id: number | null;
  search_id: number | null;
  profile_id: number;
  rank: number;
  score: number;
  reasons: Generated<Json>;
  created_at: Generated<Timestamp>;
  read_at: Timestamp | null;
}

export interface MarketFollowupEventsTable {
  id: GeneratedAlways<number>;
  followup_id: number;
  from_stage: string | null;
  to_stage: string;
  note: string | null;
  actor: string;
  at: Generated<Timestamp>;
}

export interface MarketFollowupsTable {
  id: GeneratedAlways<number>;
  profile_id: number | null;
  org_id: number | null;
  target_kind: 'offer' | 'demand' | 'partner' | 'talent';
  target_id: number;
  intermediary_org_id: number | null;
  field: string | null;
  country_iso3: string | null;
  region_id: number | null;
  stage: Generated<'interest' | 'contact' | 'meeting' | 'negotiation' | 'agreement' | 'dropped'>;
  reached: Generated<'interest' | 'contact' | 'meeting' | 'negotiation' | 'agreement'>;
  stage_since: Generated<Timestamp>;
  outcome: 'licence' | 'contract' | 'joint_project' | 'investment' | 'acquisition' | 'other' | null;
  dropped_reason: string | null;
  project_id: number | null;
  output_id: number | null;
  score: number | null;
  reasons: Generated<Json>;
  note: string | null;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface MarketIndexVersionTable {
  source: string;
  version: Generated<number>;
}

export interface MarketMatchesShownTable {
  profile_id: number;
  target_kind: 'offer' | 'demand' | 'partner' | 'talent';
  target_id: number;
  score: number;
  field: string | null;
  country_iso3: string | null;
  region_id: number | null;
  first_shown: Generated<Timestamp>;
  last_shown: Generated<Timestamp>;
  times: Generated<number>;
}

export interface MarketProfileEventsTable {
  id: GeneratedAlways<number>;
  profile_id: number;
  action: string;
  from_status: string | null;
  to_status: string;
  comment: string | null;
  actor: string;
  at: Generated<Timestamp>;
}

export interface MarketProfilesTable {
  id: GeneratedAlways<number>;
  kind: 'demand' | 'offer';
  status: Generated<'draft' | 'submitted' | 'returned' | 'rejected' | 'published' | 'expired' | 'closed'>;
  title_zh: string | null;
  title_en: string | null;
  summary_zh: string | null;
  summary_en: string | null;
  problem: string | null;
  advantages: string | null;
  field: string | null;
  keywords: Generated<string[]>;
  trl: number | null;
  ipr: 'none' | 'patent_pending' | 'patented' | 'software_copyright' | 'know_how' | 'other' | null;
  cooperation: Generated<string[]>;
  org_id: number | null;
  country_iso3: string | null;
  region_id: number | null;
  expires_on: string | null;
  review_comment: string | null;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  submitted_at: Timestamp | null;
  published_at: Timestamp | null;
  closed_reason: string | null;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  search: string | null;
}

export interface MarketSavedSearchesTable {
  id: GeneratedAlways<number>;
  org_id: number | null;
  user_id: number | null;
  name: string;
  text: string;
  kind: Generated<'offer' | 'demand'>;
  filters: Generated<Json>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface MechanismsTable {
  id: GeneratedAlways<number>;
  name_zh: string | null;
  name_en: string | null;
  name_key: string;
  kind: Generated<'intergovernmental' | 'joint_funding' | 'sister_park' | 'sister_city' | 'mou' | 'other'>;
  region_id: number | null;
  country_iso3: string | null;
  partner: string | null;
  signed_date: string | null;
  expires_date: string | null;
  status: Generated<'negotiating' | 'active' | 'expired' | 'terminated'>;
  note: string | null;
  classification: Generated<'public' | 'internal' | 'restricted'>;
  search: string | null;
  import_id: number | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface NotificationSettingsTable {
  user_id: number;
  email: string | null;
  email_enabled: Generated<boolean>;
  updated_at: Generated<Timestamp>;
}

export interface NotificationsTable {
  id: GeneratedAlways<number>;
  user_id: number;
  kind: string;
  title: string;
  title_en: string;
  body: string;
  body_en: string;
  link: string | null;
  entity: string | null;
  entity_id: string | null;
  dedupe_key: string;
  created_at: Generated<Timestamp>;
  read_at: Timestamp | null;
  email_status: Generated<'none' | 'pending' | 'sent' | 'failed'>;
  emailed_at: Timestamp | null;
  email_error: string | null;
}

export interface OrganizationsTable {
  id: GeneratedAlways<number>;
  name_zh: string | null;
  name_en: string | null;
  name_key: string;
  domestic: boolean;
  type: Generated<'enterprise' | 'university' | 'institute' | 'government' | 'intermediary' | 'hospital' | 'other'>;
  ownership: 'state' | 'private' | 'foreign' | 'joint' | 'public' | 'other' | null;
  region_id: number | null;
  country_iso3: string | null;
  uscc: string | null;
  ror: string | null;
  pic: string | null;
  website: string | null;
  note: string | null;
  classification: Generated<'public' | 'internal' | 'restricted'>;
  search: string | null;
  import_id: number | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface OutputsTable {
  id: GeneratedAlways<number>;
  project_id: number | null;
  kind: 'patent' | 'pct_patent' | 'paper' | 'standard' | 'product' | 'technology_transfer' | 'talent_trained' | 'revenue' | 'other';
  title: string;
  title_key: string;
  identifier: string | null;
  year: number | null;
  quantity: Generated<number>;
  value: number | null;
  unit: string | null;
  evidence: string | null;
  note: string | null;
  classification: Generated<'public' | 'internal' | 'restricted'>;
  search: string | null;
  import_id: number | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface PlanActionsTable {
  id: GeneratedAlways<number>;
  plan_id: number;
  number: string;
  title: string;
  position: Generated<number>;
}

export interface PlanMilestonesTable {
  id: GeneratedAlways<number>;
  task_id: number;
  title: string;
  due_date: string;
  done_on: string | null;
  note: string | null;
  position: Generated<number>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface PlanSupervisionCasesTable {
  id: GeneratedAlways<number>;
  plan_id: number;
  item_kind: 'task' | 'target';
  task_id: number | null;
  target_id: number | null;
  level: 1 | 2;
  since: string;
  flagged_on: string;
  escalated_on: string | null;
  resolved_on: string | null;
  last_seen_on: string;
  triggers: Generated<string[]>;
  units: Generated<string[]>;
  detail: string | null;
  detail_en: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface PlanSupervisionRunsTable {
  id: GeneratedAlways<number>;
  plan_id: number;
  as_of: string;
  actor: string;
  opened: Generated<number>;
  escalated: Generated<number>;
  resolved: Generated<number>;
  notifications: Generated<number>;
  ran_at: Generated<Timestamp>;
}

export interface PlanTargetValuesTable {
  id: GeneratedAlways<number>;
  target_id: number;
  date: string;
  precision: Generated<'day' | 'year'>;
  value: number;
  note: string | null;
  evidence: string | null;
  entered_by: string | null;
  entered_at: Generated<Timestamp>;
}

export interface PlanTargetsTable {
  id: GeneratedAlways<number>;
  plan_id: number;
  action_id: number | null;
  area: string | null;
  indicator: string;
  unit: string | null;
  baseline_value: number | null;
  baseline_year: number | null;
  target_value: number | null;
  target_year: number | null;
  direction: Generated<'increase' | 'decrease'>;
  source_text: string | null;
  value_source: Generated<'reported' | 'registry'>;
  measure_key: string | null;
  position: Generated<number>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface PlanTaskReportsTable {
  id: GeneratedAlways<number>;
  task_id: number;
  unit: string;
  status: 'not_started' | 'in_progress' | 'completed' | 'blocked';
  percent: number | null;
  narrative: string | null;
  evidence: string | null;
  reported_on: Generated<string>;
  submitted_by: string | null;
  submitted_at: Generated<Timestamp>;
  review_status: Generated<'submitted' | 'accepted' | 'returned'>;
  reviewer: string | null;
  reviewer_comment: string | null;
  reviewed_at: Timestamp | null;
}

export interface PlanTasksTable {
  id: GeneratedAlways<number>;
  plan_id: number;
  action_id: number | null;
  number: string;
  title: string;
  responsible_units: Generated<string[]>;
  supporting_units: Generated<string[]>;
  start_date: string | null;
  due_date: string | null;
  policy_text: string | null;
  position: Generated<number>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  region_id: number | null;
}

export interface PlanUnitMembersTable {
  plan_id: number;
  unit_key: string;
  unit: string;
  user_id: number;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface PlansTable {
  id: GeneratedAlways<number>;
  name: string;
  region_id: number | null;
  period_start: string | null;
  period_end: string | null;
  owner: string | null;
  config: Generated<Json>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface PlatformsTable {
  id: GeneratedAlways<number>;
  name_zh: string | null;
  name_en: string | null;
  name_key: string;
  kind: Generated<'intl_base' | 'joint_lab' | 'intl_park' | 'tech_transfer' | 'overseas_center' | 'incubator' | 'foreign_rd_center' | 'other'>;
  level: 'national' | 'provincial' | 'municipal' | 'district' | 'other' | null;
  region_id: number | null;
  country_iso3: string | null;
  host_org_id: number | null;
  established_year: number | null;
  status: Generated<'planned' | 'active' | 'suspended' | 'closed'>;
  note: string | null;
  classification: Generated<'public' | 'internal' | 'restricted'>;
  search: string | null;
  import_id: number | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface ProjectPartnersTable {
  id: GeneratedAlways<number>;
  project_id: number;
  org_id: number | null;
  country_iso3: string | null;
  role: Generated<'lead' | 'coordinator' | 'partner' | 'participant' | 'third_party' | 'other'>;
  contribution: number | null;
  currency: string | null;
  import_id: number | null;
}

export interface ProjectsTable {
  id: GeneratedAlways<number>;
  code: string;
  title_zh: string | null;
  title_en: string | null;
  level: 'national' | 'provincial' | 'municipal' | 'district' | 'other' | null;
  programme: string | null;
  lead_org_id: number | null;
  region_id: number | null;
  industry: string | null;
  field: string | null;
  mode: string | null;
  start_date: string | null;
  end_date: string | null;
  status: Generated<'applied' | 'approved' | 'active' | 'completed' | 'accepted' | 'terminated' | 'unknown'>;
  summary: string | null;
  keywords: string | null;
  classification: Generated<'public' | 'internal' | 'restricted'>;
  search: string | null;
  import_id: number | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface ReviewAssignmentsTable {
  id: GeneratedAlways<number>;
  reviewer_id: number;
  kind: string;
  target_id: number;
  note: string | null;
  assigned_by: string;
  assigned_at: Generated<Timestamp>;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: Generated<Timestamp>;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  created_at: Generated<Timestamp>;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface TalentsTable {
  id: GeneratedAlways<number>;
  name: string;
  name_en: string | null;
  name_key: string;
  category: Generated<'expert' | 'high_level' | 'foreign_expert' | 'returnee' | 'young' | 'other'>;
  gender: 'female' | 'male' | 'other' | null;
  birth_year: number | null;
  nationality_iso3: string | null;
  affiliation_org_id: number | null;
  affiliation: string | null;
  title: string | null;
  fields: string | null;
  languages: string | null;
  email: string | null;
  phone: string | null;
  consent: Generated<boolean>;
  region_id: number | null;
  note: string | null;
  classification: Generated<'public' | 'internal' | 'restricted'>;
  search: string | null;
  import_id: number | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface UsersTable {
  id: GeneratedAlways<number>;
  username: string;
  display_name: string | null;
  role: 'admin' | 'bureau' | 'district' | 'evaluator' | 'organization' | 'reviewer' | 'public' | 'auditor';
  region_id: number | null;
  org_id: number | null;
  password_hash: string;
  password_changed_at: Generated<Timestamp>;
  disabled_at: Timestamp | null;
  last_login_at: Timestamp | null;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface DB {
  admin_regions: AdminRegionsTable;
  agg_funding: AggFundingTable;
  agg_net_cell: AggNetCellTable;
  agg_net_country: AggNetCountryTable;
  agg_net_pair: AggNetPairTable;
  agg_project_countries: AggProjectCountriesTable;
  audit_head: AuditHeadTable;
  audit_log: AuditLogTable;
  award_budget: AwardBudgetTable;
  award_commitments: AwardCommitmentsTable;
  countries: CountriesTable;
  country_aliases: CountryAliasesTable;
  country_group_members: CountryGroupMembersTable;
  country_groups: CountryGroupsTable;
  country_indicators: CountryIndicatorsTable;
  facts: FactsTable;
  funding: FundingTable;
  import_changes: ImportChangesTable;
  imports: ImportsTable;
  indicator_dataset_units: IndicatorDatasetUnitsTable;
  indicator_datasets: IndicatorDatasetsTable;
  indicator_framework_versions: IndicatorFrameworkVersionsTable;
  indicator_frameworks: IndicatorFrameworksTable;
  indicator_nodes: IndicatorNodesTable;
  indicator_run_results: IndicatorRunResultsTable;
  indicator_runs: IndicatorRunsTable;
  indicator_values: IndicatorValuesTable;
  login_throttle: LoginThrottleTable;
  market_alerts: MarketAlertsTable;
  market_followup_events: MarketFollowupEventsTable;
  market_followups: MarketFollowupsTable;
  market_index_version: MarketIndexVersionTable;
  market_matches_shown: MarketMatchesShownTable;
  market_profile_events: MarketProfileEventsTable;
  market_profiles: MarketProfilesTable;
  market_saved_searches: MarketSavedSearchesTable;
  mechanisms: MechanismsTable;
  notification_settings: NotificationSettingsTable;
  notifications: NotificationsTable;
  organizations: OrganizationsTable;
  outputs: OutputsTable;
  plan_actions: PlanActionsTable;
  plan_milestones: PlanMilestonesTable;
  plan_supervision_cases: PlanSupervisionCasesTable;
  plan_supervision_runs: PlanSupervisionRunsTable;
  plan_target_values: PlanTargetValuesTable;
  plan_targets: PlanTargetsTable;
  plan_task_reports: PlanTaskReportsTable;
  plan_tasks: PlanTasksTable;
  plan_unit_members: PlanUnitMembersTable;
  plans: PlansTable;
  platforms: PlatformsTable;
  project_partners: ProjectPartnersTable;
  projects: ProjectsTable;
  review_assignments: ReviewAssignmentsTable;
  schema_migrations: SchemaMigrationsTable;
  sessions: SessionsTable;
  talents: TalentsTable;
  users: UsersTable;
}
