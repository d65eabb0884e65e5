/**
 * Reply shapes of the analytics API as the pages read them (the server's zod schemas in
 * src/modules/analytics/analytics.schema.ts are the source).
 */

type Label = string | number;

export interface TiersReply {
  tiers: { tier: number; min: number | null; max: number | null; members: Record<string, Label>[] }[];
}

export interface TrendStats {
  values: number[];
  total: number;
  mean: number;
  yoy: { year: number; change: number; rate: number | null }[];
  cagr: number | null;
  cv: number | null;
  moves: ('up' | 'down' | 'flat')[];
  pattern: string;
  reversals: number;
  shape: 'rising' | 'falling' | 'flat' | 'fluctuating';
  shape_zh: string;
}

export interface TrendsReply {
  measure: string;
  years: number[];
  cvThreshold: number;
  overall: TrendStats;
  units: (TrendStats & { unstable: boolean; [dim: string]: unknown })[];
}


export interface ConcentrationReply {
  n: number;
  top: number;
  topShare: number | null;
  hhi: number | null;
  gini: number | null;
  members: Record<string, string | number | null>[];
  measure: string;
  total: number;
  unassigned: { value: number; records: number } | null;
}

export interface NetworkNode {
  id: string;
  label: string | null;
  degree: number;
  weighted_degree: number;
  betweenness: number;
  eigenvector: number;
}

export interface NetworkReply {
  level: 'country' | 'organization';
  weight: 'projects' | 'participations';
  nodes: NetworkNode[];
  edges: number;
  projects: number;
  skipped: number;
}

export type Direction = 'bring_in' | 'both' | 'go_out';

export interface StrategyCountry {
  iso3: string;
  name_zh: string;
  name_en: string;
  groups: string[];
  innovation: { indicator: string; year: number; value: string; ranked: boolean; rank_min: number | null; rank_max: number | null } | null;
  cooperation: { projects: number; funding: number; funding_records: number; platforms: number; mechanisms: number };
  home: boolean;
  direction: Direction | null;
  direction_zh: string | null;
  direction_en: string | null;
  reason_zh: string;
  reason_en: string;
}

export interface StrategyReply {
  rules: {
    indicator: { rank: string; band: string; year: number | null };
    home: string;
    rules: { direction: Direction; reason_zh: string; reason_en: string; rank?: { min?: number; max?: number }; unranked?: boolean; noData?: boolean; groups?: string[] }[];
  };
  countries: StrategyCountry[];
  bands: { band: string | null; ranked: boolean; min: number | null; countries: number }[];
  directions: Record<Direction | 'none', number>;
  unresolved: { name: string; import_id: number; file_name: string; row: number | null; suggestions: { iso3: string; name_zh: string; name_en: string }[] }[];
}

export interface CountryRow {
  iso3: string;
  iso2: string;
  numeric_code: string | null;
  name_zh: string;
  name_en: string;
  kind: 'country' | 'region';
  sovereign_iso3: string | null;
  note: string | null;
  groups: string[];
}

export interface CountryGroup {
  code: string;
  name_zh: string;
  name_en: string;
  description: string | null;
  members: string[];
}
