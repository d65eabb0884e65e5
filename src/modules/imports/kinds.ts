/**
 * What can be imported (`--as KIND`) and the columns each kind recognises beyond its
 * registry's own fields.
 */
import { REGISTRIES } from '../registries/defs.ts';
import type { RegistryDef } from '../registry/registry.types.ts';
import { fieldTargets, type Target } from './mapping.ts';

/**
 * Partner roles as imports read them. CORDIS's `associatedPartner` (Horizon Europe) and
 * `internationalPartner` (H2020) are participants that sign no grant and get no EU
 * contribution — partners in the registry's sense: they are read as `partner` (合作单位),
 * with their Chinese names accepted too. Keeping them apart as roles of their own needs
 * project_partners' role check widened (a migration) first.
 */
const PARTNER_ROLE_VALUES: { value: string; zh: string; en: string; aliases?: readonly string[] }[] = [
  { value: 'lead', zh: '牵头单位', en: 'Lead' },
  { value: 'coordinator', zh: '协调方', en: 'Coordinator' },
  {
    value: 'partner',
    zh: '合作单位',
    en: 'Partner',
    aliases: ['associatedPartner', 'associated partner', '关联合作方', '关联伙伴', 'internationalPartner', 'international partner', '国际合作方', '国际伙伴'],
  },
  { value: 'participant', zh: '参与方', en: 'Participant' },
  { value: 'third_party', zh: '第三方', en: 'Third party' },
  { value: 'other', zh: '其他', en: 'Other' },
];

/** Project partners (participations): a project, an organisation and/or a country, a role. */
export const partnersDef: RegistryDef = {
  kind: 'partners',
  entity: 'partner',
  table: 'project_partners',
  zh: '项目合作方',
  en: 'Project partners',
  fields: [
    { name: 'project_id', zh: '项目', en: 'Project', type: 'ref', ref: 'projects', required: true, aliases: ['项目编号', 'project code', 'projectid', 'project_id', 'rcn'] },
    { name: 'org_id', zh: '合作单位', en: 'Organisation', type: 'ref', ref: 'organizations', aliases: ['单位', '机构', '单位名称', 'organisation', 'organization', 'org_name', 'name'] },
    { name: 'country_iso3', zh: '国别', en: 'Country', type: 'iso3', aliases: ['国家', '国家和地区', 'country'] },
    { name: 'role', zh: '角色', en: 'Role', type: 'enum', values: PARTNER_ROLE_VALUES, aliases: ['作用', 'role'] },
    { name: 'contribution', zh: '经费贡献', en: 'Contribution', type: 'number', min: 0, aliases: ['ec contribution', 'eccontribution', 'contribution', '分配经费'] },
    { name: 'currency', zh: '币种', en: 'Currency', type: 'text', max: 3, aliases: ['currency'] },
  ],
  defaultSort: 'id',
  scoped: false,
  searchable: false,
  naturalKey: ['project_id', 'org_id', 'country_iso3', 'role'],
};

export interface KindInfo {
  kind: string;
  zh: string;
  en: string;
  def: RegistryDef | null;
  targets: Target[];
  /** Year columns become (year, this field) records. */
  unpivotInto?: string;
}

const PROJECT_EXTRA: Target[] = [
  { key: 'partner_countries', zh: '合作国别', en: 'Partner countries', aliases: ['国别', '合作国家', '外方国别', '合作国家和地区', 'partner countries', 'countries', 'country'] },
  { key: 'partner_orgs', zh: '合作单位', en: 'Partner organisations', aliases: ['外方合作单位', '合作机构', '外方单位', 'partners', 'partner organisations', 'partner organizations'] },
];

const FACT_TARGETS: Target[] = fieldTargets(REGISTRIES.facts.fields).filter((t) => !['region_id', 'country_iso3'].includes(t.key));

const COUNTRY_TARGETS: Target[] = [
  { key: 'country', zh: '国家', en: 'Country', aliases: ['国别', '国家和地区', '国家/地区', '国家或地区', 'economy', 'economies', 'country name', 'name', 'iso3', 'country code'] },
  { key: 'group', zh: '组别', en: 'Group', aliases: ['所属组织', '分组', 'group'] },
];

/** Every importable kind. */
export function importKinds(): Record<string, KindInfo> {
  const kinds: Record<string, KindInfo> = {};
  for (const def of Object.values(REGISTRIES)) {
    if (def.kind === 'facts') continue;
    const targets = fieldTargets(def.fields);
    kinds[def.kind] = { kind: def.kind, zh: def.zh, en: def.en, def, targets };
  }
  kinds.projects.targets = [
    ...kinds.projects.targets.map((t) => (t.key === 'lead_org_id' ? { ...t, key: 'lead_org_id' } : t)),
    ...PROJECT_EXTRA,
  ];
  kinds.funding.unpivotInto = 'amount';
  kinds.facts = { kind: 'facts', zh: '统计数据', en: 'Stated figures', def: REGISTRIES.facts, targets: FACT_TARGETS, unpivotInto: 'value' };
  kinds.partners = { kind: 'partners', zh: partnersDef.zh, en: partnersDef.en, def: partnersDef, targets: fieldTargets(partnersDef.fields) };
  kinds.countries = { kind: 'countries', zh: '国家和地区', en: 'Countries and regions', def: null, targets: COUNTRY_TARGETS };
  return kinds;
}
