/**
 * Column presets: known file shapes whose columns the importer maps without being told. A
 * preset applies when the file has all its signature columns and the kind imported has every
 * field its map names for the file's columns (so the CORDIS organisation file maps one way
 * `--as partners` and another `--as organizations`). An explicit `--map` still wins, column by
 * column; columns a preset maps to '-' are left out (CORDIS status values such as SIGNED are
 * not ours, `activityType` codes are not our organisation types).
 *
 * Shapes:
 * - CORDIS `project.csv` (H2020, Horizon Europe; `id` or `projectID`): code, English title,
 *   objective, dates, framework programme, topics. The acronym goes to the keywords, so search
 *   finds a project by it. ecMaxContribution has no project field: import it `--as funding`.
 * - CORDIS `organization.csv` (`projectID`, `organisationID`, `name`, `country`, `role`,
 *   `ecContribution` …): `--as partners` (project, organisation by name and country, role,
 *   contribution) or `--as organizations` (name, PIC, country, web site).
 * - CORDIS per-participation extracts with `Organisation` and `PIC` columns, and the matching
 *   per-project extracts with `projectAcronym` (the third-country summary workbooks).
 * - The RCN-keyed H2020 participation file (eunets: rcn, pic, type, contribution, country …)
 *   `--as partners` once its projects and organisations exist; presets.cordis.ts loads it whole.
 */
import { labelKey, type Target } from './mapping.ts';

export interface ColumnPreset {
  /** Stable name, shown in the import's mapping. */
  name: string;
  zh: string;
  en: string;
  /** Columns (as labelKey compares them) the file must have. */
  signature: readonly string[];
  /** Source column → target field, '-' to leave a column out. */
  map: Readonly<Record<string, string>>;
}

const SKIP = '-';

/** Every other column of the official CORDIS project file: not imported. */
const PROJECT_OTHER = ['status', 'totalCost', 'ecMaxContribution', 'legalBasis', 'ecSignatureDate', 'masterCall', 'subCall', 'fundingScheme', 'nature', 'contentUpdateDate', 'rcn', 'grantDoi'];
const ORGANIZATION_OTHER = [
  'projectAcronym', 'vatNumber', 'shortName', 'SME', 'activityType', 'street', 'postCode', 'city', 'nutsCode', 'geolocation', 'contactForm',
  'contentUpdateDate', 'rcn', 'order', 'netEcContribution', 'totalCost', 'endOfParticipation', 'active',
];
const skip = (cols: readonly string[]) => Object.fromEntries(cols.map((c) => [c, SKIP]));

export const PRESETS: readonly ColumnPreset[] = [
  {
    name: 'cordis-project',
    zh: 'CORDIS 项目文件（project.csv）',
    en: 'CORDIS project file (project.csv)',
    signature: ['acronym', 'ecmaxcontribution', 'frameworkprogramme'],
    map: {
      id: 'code',
      projectID: 'code',
      acronym: 'keywords',
      title: 'title_en',
      objective: 'summary',
      startDate: 'start_date',
      endDate: 'end_date',
      frameworkProgramme: 'programme',
      topics: 'field',
      ...skip(PROJECT_OTHER),
    },
  },
  {
    name: 'cordis-organization-partners',
    zh: 'CORDIS 参与机构文件（organization.csv）：项目合作方',
    en: 'CORDIS organisation file (organization.csv) as project partners',
    signature: ['projectid', 'organisationid', 'activitytype', 'eccontribution'],
    map: { projectID: 'project_id', name: 'org_id', country: 'country_iso3', role: 'role', ecContribution: 'contribution', organisationID: SKIP, organizationURL: SKIP, ...skip(ORGANIZATION_OTHER) },
  },
  {
    name: 'cordis-organization',
    zh: 'CORDIS 参与机构文件（organization.csv）：机构',
    en: 'CORDIS organisation file (organization.csv) as organisations',
    signature: ['projectid', 'organisationid', 'activitytype', 'eccontribution'],
    map: { name: 'name_en', organisationID: 'pic', country: 'country_iso3', organizationURL: 'website', projectID: SKIP, role: SKIP, ecContribution: SKIP, ...skip(ORGANIZATION_OTHER) },
  },
  {
    name: 'cordis-participation-extract-partners',
    zh: 'CORDIS 参与明细（projectID、PIC、Organisation）：项目合作方',
    en: 'CORDIS participation extract (projectID, PIC, Organisation) as project partners',
    signature: ['projectid', 'pic', 'organisation', 'eccontribution'],
    map: {
      projectID: 'project_id', Organisation: 'org_id', country: 'country_iso3', role: 'role', ecContribution: 'contribution',
      ...skip(['frameworkProgramme', 'projectAcronym', 'title', 'ecSignatureDate', 'startDate', 'endDate', 'countryName', 'PIC', 'shortName', 'activityType', 'SME', 'Type of action', 'subCall', 'order', 'netEcContribution', 'totalCost']),
    },
  },
  {
    name: 'cordis-participation-extract-organizations',
    zh: 'CORDIS 参与明细（projectID、PIC、Organisation）：机构',
    en: 'CORDIS participation extract (projectID, PIC, Organisation) as organisations',
    signature: ['projectid', 'pic', 'organisation', 'eccontribution'],
    map: {
      Organisation: 'name_en', PIC: 'pic', country: 'country_iso3',
      ...skip(['frameworkProgramme', 'projectID', 'projectAcronym', 'title', 'ecSignatureDate', 'startDate', 'endDate', 'countryName', 'shortName', 'activityType', 'SME', 'Type of action', 'subCall', 'order', 'role', 'ecContribution', 'netEcContribution', 'totalCost']),
    },
  },
  {
    name: 'cordis-project-extract',
    zh: 'CORDIS 项目明细（projectID、projectAcronym）',
    en: 'CORDIS project extract (projectID, projectAcronym)',
    signature: ['projectid', 'projectacronym', 'startdate', 'enddate'],
    map: {
      projectID: 'code', projectAcronym: 'keywords', title: 'title_en', startDate: 'start_date', endDate: 'end_date', frameworkProgramme: 'programme',
      ...skip(['ecSignatureDate', 'Type of action', 'subCall', 'country_ecContribution', 'total_ecContribution', 'Matched countries', 'All countries']),
    },
  },
  {
    name: 'cordis-h2020-rcn-participations',
    zh: 'H2020 参与明细（按 RCN，eunets）：项目合作方',
    en: 'H2020 participations keyed by RCN (eunets) as project partners',
    signature: ['rcn', 'pic', 'maxcontribution', 'nunique'],
    map: {
      rcn: 'project_id', pic: 'org_id', country: 'country_iso3', role: 'role', contribution: 'contribution',
      ...skip(['type', 'start_date', 'end_date', 'max_contribution', 'total_cost', 'start_year', 'end_year', 'duration', 'group', 'nunique']),
    },
  },
];

/**
 * The preset for these columns and this kind's targets, or null. The first preset whose
 * signature the columns hold and whose fields (for the columns present) the kind has.
 */
export function presetFor(labels: readonly string[], targets: readonly Target[]): ColumnPreset | null {
  const have = new Set(labels.map(labelKey));
  const fields = new Set(targets.map((t) => t.key));
  for (const p of PRESETS) {
    if (!p.signature.every((s) => have.has(s))) continue;
    const used = Object.entries(p.map).filter(([col, field]) => field !== SKIP && have.has(labelKey(col)));
    if (used.length && used.every(([, field]) => fields.has(field))) return p;
  }
  return null;
}

/** The explicit mapping a preset gives for the file's columns (the user's own mapping wins). */
export function presetMapping(p: ColumnPreset, labels: readonly string[]): Record<string, string> {
  const byKey = new Map(Object.entries(p.map).map(([col, field]) => [labelKey(col), field]));
  const out: Record<string, string> = {};
  for (const l of labels) {
    const field = byKey.get(labelKey(l));
    if (field !== undefined) out[l] = field;
  }
  return out;
}
