/**
 * The registries (库) and their fields. Labels are what people see and what the importer
 * recognises in headers (with the aliases).
 */
import type { ErrorDetail } from '../../errors.ts';
import { nameKey } from '../../text/keys.ts';
import type { FieldDef, RegistryDef } from '../registry/registry.types.ts';
import {
  CLASSIFICATIONS,
  GENDERS,
  LEVELS,
  MECHANISM_KINDS,
  MECHANISM_STATUSES,
  ORG_TYPES,
  OUTPUT_KINDS,
  OWNERSHIPS,
  PLATFORM_KINDS,
  PLATFORM_STATUSES,
  PROJECT_STATUSES,
  TALENT_CATEGORIES,
  UNITS,
} from './enums.ts';

const classification: FieldDef = { name: 'classification', zh: '密级', en: 'Classification', type: 'enum', values: CLASSIFICATIONS, filter: true };
const region: FieldDef = { name: 'region_id', zh: '所属地区', en: 'Region', type: 'ref', ref: 'admin_regions', filter: true, sort: true, aliases: ['辖区', '辖市区', '地区', '区域', '所在地', 'district', 'region'] };
const country: FieldDef = { name: 'country_iso3', zh: '国别', en: 'Country', type: 'iso3', filter: true, sort: true, aliases: ['国家', '国家和地区', '国家/地区', '合作国别', '合作国家', 'country'] };
const note: FieldDef = { name: 'note', zh: '备注', en: 'Note', type: 'longtext', aliases: ['说明', '备注说明', 'remarks', 'notes'] };

function needOneName(zhField: string, enField: string, rec: Record<string, unknown>): ErrorDetail[] {
  if (rec[zhField] || rec[enField]) return [];
  return [{ field: zhField, code: 'NAME_REQUIRED', message: '中文名称和英文名称至少填写一个', message_en: 'Give a Chinese or an English name' }];
}

const REGION_JOIN = 'LEFT JOIN admin_regions r ON r.id = t.region_id';
const COUNTRY_JOIN = 'LEFT JOIN countries c ON c.iso3 = t.country_iso3';

export const organizations: RegistryDef = {
  kind: 'organizations',
  entity: 'organization',
  table: 'organizations',
  zh: '机构库',
  en: 'Organisations',
  fields: [
    { name: 'name_zh', zh: '机构名称', en: 'Name (Chinese)', type: 'text', sort: true, search: true, aliases: ['名称', '单位名称', '中文名称', '机构', '单位', '合作单位', '企业名称'] },
    { name: 'name_en', zh: '英文名称', en: 'Name (English)', type: 'text', sort: true, search: true, aliases: ['name', 'organisation', 'organization', 'org_name', 'legal name'] },
    { name: 'domestic', zh: '境内机构', en: 'Domestic', type: 'bool', required: true, filter: true, aliases: ['国内', '是否境内'] },
    { name: 'type', zh: '机构类型', en: 'Type', type: 'enum', values: ORG_TYPES, filter: true, sort: true, aliases: ['类型', '单位类型', 'activitytype', 'org_type'] },
    { name: 'ownership', zh: '所有制', en: 'Ownership', type: 'enum', values: OWNERSHIPS, filter: true, aliases: ['企业性质', '性质'] },
    region,
    country,
    { name: 'uscc', zh: '统一社会信用代码', en: 'Unified social credit code', type: 'text', max: 18, search: true, aliases: ['信用代码', 'uscc'] },
    { name: 'ror', zh: 'ROR 标识', en: 'ROR id', type: 'text', aliases: ['ror'] },
    { name: 'pic', zh: 'PIC 编号', en: 'PIC', type: 'text', aliases: ['pic', 'participant identification code'] },
    { name: 'website', zh: '网站', en: 'Website', type: 'text', aliases: ['网址', 'url', 'organizationurl'] },
    note,
    classification,
  ],
  derive: (r) => ({ name_key: nameKey((r.name_zh as string) ?? (r.name_en as string)) }),
  refine: (r) => [
    ...needOneName('name_zh', 'name_en', r),
    ...(r.uscc && !/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(String(r.uscc))
      ? [{ field: 'uscc', code: 'USCC_INVALID', message: '统一社会信用代码应为 18 位数字或大写字母', message_en: 'A unified social credit code has 18 digits or capital letters' }]
      : []),
  ],
  display: {
    select: 'r.short_name AS region_name, c.name_zh AS country_name_zh, c.name_en AS country_name_en',
    joins: `${REGION_JOIN} ${COUNTRY_JOIN}`,
    fields: ['region_name', 'country_name_zh', 'country_name_en'],
  },
  defaultSort: 'id',
  scoped: true,
  searchable: true,
  naturalKey: ['name_key', 'country_iso3'],
};

export const projects: RegistryDef = {
  kind: 'projects',
  entity: 'project',
  table: 'projects',
  zh: '项目库',
  en: 'Projects',
  fields: [
    { name: 'code', zh: '项目编号', en: 'Code', type: 'text', required: true, max: 100, sort: true, search: true, aliases: ['编号', '项目代码', '立项编号', 'project code', 'projectid', 'project_id', 'grant'] },
    { name: 'title_zh', zh: '项目名称', en: 'Title (Chinese)', type: 'text', max: 1000, sort: true, search: true, aliases: ['名称', '中文名称', '项目中文名称', '课题名称'] },
    { name: 'title_en', zh: '英文名称', en: 'Title (English)', type: 'text', max: 1000, sort: true, search: true, aliases: ['title', 'project title', '项目英文名称'] },
    { name: 'level', zh: '项目层级', en: 'Programme level', type: 'enum', values: LEVELS, filter: true, sort: true, aliases: ['层级', '级别', '计划级别'] },
    { name: 'programme', zh: '计划类别', en: 'Programme', type: 'text', filter: true, sort: true, aliases: ['计划', '专项', '项目类别', 'programme', 'program', 'frameworkprogramme'] },
    { name: 'lead_org_id', zh: '牵头单位', en: 'Lead organisation', type: 'ref', ref: 'organizations', filter: true, aliases: ['承担单位', '申报单位', '项目承担单位', 'lead organisation', 'coordinator'] },
    region,
    { name: 'industry', zh: '产业', en: 'Industry', type: 'text', filter: true, sort: true, aliases: ['所属产业', '产业领域', 'industry'] },
    { name: 'field', zh: '技术领域', en: 'Technology field', type: 'text', filter: true, sort: true, search: true, aliases: ['领域', '所属领域', 'field', 'topic'] },
    { name: 'mode', zh: '合作方式', en: 'Cooperation mode', type: 'text', filter: true, sort: true, aliases: ['合作模式', 'cooperation mode', 'mode'] },
    { name: 'start_date', zh: '开始日期', en: 'Start date', type: 'date', sort: true, filter: true, aliases: ['起始日期', '开始时间', 'startdate', 'start_date'] },
    { name: 'end_date', zh: '结束日期', en: 'End date', type: 'date', sort: true, filter: true, aliases: ['截止日期', '结束时间', 'enddate', 'end_date'] },
    { name: 'status', zh: '项目状态', en: 'Status', type: 'enum', values: PROJECT_STATUSES, filter: true, sort: true, aliases: ['状态', 'status'] },
    { name: 'summary', zh: '项目摘要', en: 'Summary', type: 'longtext', search: true, aliases: ['摘要', '简介', '主要内容', 'objective', 'abstract', 'summary'] },
    { name: 'keywords', zh: '关键词', en: 'Keywords', type: 'text', max: 2000, search: true, aliases: ['keywords'] },
    classification,
  ],
  refine: (r) => [
    ...needOneName('title_zh', 'title_en', r),
    ...(r.start_date && r.end_date && String(r.end_date) < String(r.start_date)
      ? [{ field: 'end_date', code: 'PERIOD_INVALID', message: '结束日期早于开始日期', message_en: 'The end date is before the start date' }]
      : []),
  ],
  display: {
    select: `r.short_name AS region_name, coalesce(o.name_zh, o.name_en) AS lead_org_name,
      (SELECT string_agg(DISTINCT pp.country_iso3, ',') FROM project_partners pp WHERE pp.project_id = t.id) AS partner_countries,
      (SELECT sum(f.amount_wan) FROM funding f WHERE f.project_id = t.id AND f.currency = 'CNY') AS funding_wan`,
    joins: `${REGION_JOIN} LEFT JOIN organizations o ON o.id = t.lead_org_id`,
    fields: ['region_name', 'lead_org_name', 'partner_countries', 'funding_wan'],
  },
  defaultSort: 'id',
  scoped: true,
  searchable: true,
  naturalKey: ['code'],
  relationFilters: [
    {
      name: 'partner_country',
      zh: '合作国别',
      en: 'Partner country',
      type: 'iso3',
      sql: (p) => `EXISTS (SELECT 1 FROM project_partners pp WHERE pp.project_id = t.id AND pp.country_iso3 = ${p})`,
    },
  ],
};

export const funding: RegistryDef = {
  kind: 'funding',
  entity: 'funding',
  table: 'funding',
  zh: '经费记录',
  en: 'Funding records',
  fields: [
    { name: 'project_id', zh: '项目', en: 'Project', type: 'ref', ref: 'projects', filter: true, aliases: ['项目编号', '项目', 'project'] },
    region,
    { name: 'year', zh: '年份', en: 'Year', type: 'int', required: true, min: 1900, max: 2200, filter: true, sort: true, aliases: ['年度', 'year'] },
    { name: 'level', zh: '层级', en: 'Level', type: 'enum', values: LEVELS, filter: true, sort: true, aliases: ['项目层级', '级别'] },
    { name: 'source', zh: '资金来源', en: 'Source', type: 'text', filter: true, sort: true, aliases: ['来源', '经费来源', 'source'] },
    country,
    { name: 'amount', zh: '金额', en: 'Amount', type: 'number', required: true, min: 0, sort: true, aliases: ['经费', '项目经费', '资助金额', '拨款', 'amount', 'contribution'] },
    { name: 'currency', zh: '币种', en: 'Currency', type: 'text', max: 3, filter: true, aliases: ['货币', 'currency'] },
    { name: 'unit', zh: '单位', en: 'Unit', type: 'enum', values: UNITS, filter: true, aliases: ['金额单位', 'unit'] },
    note,
    classification,
  ],
  display: {
    select: `r.short_name AS region_name, c.name_zh AS country_name_zh, p.code AS project_code, coalesce(p.title_zh, p.title_en) AS project_title`,
    joins: (visible) => `${REGION_JOIN} ${COUNTRY_JOIN} LEFT JOIN projects p ON p.id = t.project_id AND ${visible(projects, 'p')}`,
    fields: ['region_name', 'country_name_zh', 'project_code', 'project_title'],
  },
  refine: (r) =>
    r.currency != null && !/^[A-Z]{3}$/.test(String(r.currency))
      ? [{ field: 'currency', code: 'CURRENCY_INVALID', message: '币种应为三位大写字母代码（如 CNY、EUR）', message_en: 'Currency must be a three-letter code such as CNY or EUR' }]
      : [],
  defaultSort: 'id',
  scoped: true,
  searchable: false,
  naturalKey: ['project_id', 'region_id', 'year', 'level', 'source', 'country_iso3', 'currency'],
};

export const platforms: RegistryDef = {
  kind: 'platforms',
  entity: 'platform',
  table: 'platforms',
  zh: '平台载体库',
  en: 'Platforms',
  fields: [
    { name: 'name_zh', zh: '平台名称', en: 'Name (Chinese)', type: 'text', sort: true, search: true, aliases: ['名称', '载体名称', '合作载体', '平台'] },
    { name: 'name_en', zh: '英文名称', en: 'Name (English)', type: 'text', sort: true, search: true, aliases: ['name'] },
    { name: 'kind', zh: '平台类型', en: 'Kind', type: 'enum', values: PLATFORM_KINDS, filter: true, sort: true, aliases: ['类型', '载体类型', 'type'] },
    { name: 'level', zh: '级别', en: 'Level', type: 'enum', values: LEVELS, filter: true, sort: true, aliases: ['层级'] },
    region,
    country,
    { name: 'host_org_id', zh: '依托单位', en: 'Host organisation', type: 'ref', ref: 'organizations', filter: true, aliases: ['建设单位', '承建单位', 'host'] },
    { name: 'established_year', zh: '设立年份', en: 'Established', type: 'int', min: 1900, max: 2200, sort: true, filter: true, aliases: ['认定年份', '成立年份', '年份'] },
    { name: 'status', zh: '状态', en: 'Status', type: 'enum', values: PLATFORM_STATUSES, filter: true, aliases: ['运行状态'] },
    note,
    classification,
  ],
  derive: (r) => ({ name_key: nameKey((r.name_zh as string) ?? (r.name_en as string)) }),
  refine: (r) => needOneName('name_zh', 'name_en', r),
  display: {
    select: 'r.short_name AS region_name, c.name_zh AS country_name_zh, coalesce(o.name_zh, o.name_en) AS host_org_name',
    joins: `${REGION_JOIN} ${COUNTRY_JOIN} LEFT JOIN organizations o ON o.id = t.host_org_id`,
    fields: ['region_name', 'country_name_zh', 'host_org_name'],
  },
  defaultSort: 'id',
  scoped: true,
  searchable: true,
  naturalKey: ['name_key', 'country_iso3'],
};

export const talents: RegistryDef = {
  kind: 'talents',
  entity: 'talent',
  table: 'talents',
  zh: '人才库',
  en: 'Talents',
  fields: [
    { name: 'name', zh: '姓名', en: 'Name', type: 'text', required: true, sort: true, search: true, aliases: ['名字', '专家姓名', 'name'] },
    { name: 'name_en', zh: '英文姓名', en: 'Name (English)', type: 'text', sort: true, search: true, aliases: ['english name'] },
    { name: 'category', zh: '人才类别', en: 'Category', type: 'enum', values: TALENT_CATEGORIES, filter: true, sort: true, aliases: ['类别', '类型'] },
    { name: 'gender', zh: '性别', en: 'Gender', type: 'enum', values: GENDERS, filter: true, aliases: ['gender', 'sex'] },
    { name: 'birth_year', zh: '出生年份', en: 'Birth year', type: 'int', min: 1900, max: 2100, aliases: ['出生年'] },
    { name: 'nationality_iso3', zh: '国籍', en: 'Nationality', type: 'iso3', filter: true, sort: true, aliases: ['国别', 'nationality'] },
    { name: 'affiliation_org_id', zh: '所在机构', en: 'Affiliation (registry)', type: 'ref', ref: 'organizations', filter: true },
    { name: 'affiliation', zh: '工作单位', en: 'Affiliation', type: 'text', sort: true, search: true, aliases: ['单位', '所在单位', 'affiliation'] },
    { name: 'title', zh: '职称职务', en: 'Title', type: 'text', aliases: ['职称', '职务', 'title'] },
    { name: 'fields', zh: '研究领域', en: 'Fields', type: 'text', max: 2000, search: true, aliases: ['领域', '专业领域', '研究方向', 'fields'] },
    { name: 'languages', zh: '工作语言', en: 'Languages', type: 'text', aliases: ['语言', 'languages'] },
    { name: 'email', zh: '电子邮箱', en: 'E-mail', type: 'text', restricted: true, aliases: ['邮箱', 'email', 'e-mail'] },
    { name: 'phone', zh: '联系电话', en: 'Phone', type: 'text', restricted: true, aliases: ['电话', '手机', 'phone'] },
    { name: 'consent', zh: '同意入库', en: 'Consent', type: 'bool', filter: true, aliases: ['授权', 'consent'] },
    region,
    note,
    classification,
  ],
  derive: (r) => ({ name_key: nameKey(r.name as string) }),
  refine: (r) =>
    r.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(r.email))
      ? [{ field: 'email', code: 'EMAIL_INVALID', message: '电子邮箱格式错误', message_en: 'The e-mail address is not valid' }]
      : [],
  display: {
    select: 'r.short_name AS region_name, c.name_zh AS nationality_name_zh',
    joins: `${REGION_JOIN} LEFT JOIN countries c ON c.iso3 = t.nationality_iso3`,
    fields: ['region_name', 'nationality_name_zh'],
  },
  defaultSort: 'id',
  scoped: true,
  searchable: true,
  naturalKey: ['name_key', 'affiliation'],
};

export const mechanisms: RegistryDef = {
  kind: 'mechanisms',
  entity: 'mechanism',
  table: 'mechanisms',
  zh: '合作机制库',
  en: 'Cooperation mechanisms',
  fields: [
    { name: 'name_zh', zh: '机制名称', en: 'Name (Chinese)', type: 'text', sort: true, search: true, aliases: ['名称', '协议名称'] },
    { name: 'name_en', zh: '英文名称', en: 'Name (English)', type: 'text', sort: true, search: true, aliases: ['name'] },
    { name: 'kind', zh: '机制类型', en: 'Kind', type: 'enum', values: MECHANISM_KINDS, filter: true, sort: true, aliases: ['类型'] },
    region,
    country,
    { name: 'partner', zh: '合作方', en: 'Partner', type: 'text', search: true, aliases: ['对方', '合作对象', 'partner'] },
    { name: 'signed_date', zh: '签署日期', en: 'Signed', type: 'date', sort: true, filter: true, aliases: ['签约日期', '签订日期'] },
    { name: 'expires_date', zh: '到期日期', en: 'Expires', type: 'date', sort: true, aliases: ['有效期至'] },
    { name: 'status', zh: '状态', en: 'Status', type: 'enum', values: MECHANISM_STATUSES, filter: true },
    note,
    classification,
  ],
  derive: (r) => ({ name_key: nameKey((r.name_zh as string) ?? (r.name_en as string)) }),
  refine: (r) => needOneName('name_zh', 'name_en', r),
  display: {
    select: 'r.short_name AS region_name, c.name_zh AS country_name_zh',
    joins: `${REGION_JOIN} ${COUNTRY_JOIN}`,
    fields: ['region_name', 'country_name_zh'],
  },
  defaultSort: 'id',
  scoped: true,
  searchable: true,
  naturalKey: ['name_key', 'country_iso3'],
};

export const outputs: RegistryDef = {
  kind: 'outputs',
  entity: 'output',
  table: 'outputs',
  zh: '成果库',
  en: 'Outputs',
  fields: [
    { name: 'project_id', zh: '项目', en: 'Project', type: 'ref', ref: 'projects', filter: true, aliases: ['项目编号', 'project'] },
    { name: 'kind', zh: '成果类型', en: 'Kind', type: 'enum', values: OUTPUT_KINDS, required: true, filter: true, sort: true, aliases: ['类型', '类别'] },
    { name: 'title', zh: '成果名称', en: 'Title', type: 'text', required: true, max: 1000, sort: true, search: true, aliases: ['名称', '题目', 'title'] },
    { name: 'identifier', zh: '编号', en: 'Identifier', type: 'text', search: true, aliases: ['专利号', '申请号', 'doi', '标准号', 'identifier'] },
    { name: 'year', zh: '年份', en: 'Year', type: 'int', min: 1900, max: 2200, filter: true, sort: true, aliases: ['年度'] },
    { name: 'quantity', zh: '数量', en: 'Quantity', type: 'number', min: 0, aliases: ['件数', '人数'] },
    { name: 'value', zh: '金额', en: 'Value', type: 'number', aliases: ['收入', '合同金额'] },
    { name: 'unit', zh: '单位', en: 'Unit', type: 'text', max: 20 },
    { name: 'evidence', zh: '佐证材料', en: 'Evidence', type: 'longtext', aliases: ['证明材料'] },
    note,
    classification,
  ],
  derive: (r) => ({ title_key: nameKey(r.title as string) }),
  display: {
    select: 'p.code AS project_code, coalesce(p.title_zh, p.title_en) AS project_title',
    joins: (visible) => `LEFT JOIN projects p ON p.id = t.project_id AND ${visible(projects, 'p')}`,
    fields: ['project_code', 'project_title'],
  },
  defaultSort: 'id',
  scoped: false,
  searchable: true,
  naturalKey: ['project_id', 'kind', 'title_key'],
};

export const facts: RegistryDef = {
  kind: 'facts',
  entity: 'fact',
  table: 'facts',
  zh: '统计数据',
  en: 'Stated figures',
  fields: [
    { name: 'subject', zh: '对象', en: 'Subject', type: 'text', required: true, sort: true, filter: true, search: true, aliases: ['地区', '国别', '层级', '对象', 'subject'] },
    region,
    country,
    { name: 'indicator', zh: '指标', en: 'Indicator', type: 'text', required: true, sort: true, filter: true, search: true, aliases: ['指标名称', 'indicator'] },
    { name: 'year', zh: '年份', en: 'Year', type: 'int', min: 1900, max: 2200, sort: true, filter: true, aliases: ['年度'] },
    { name: 'period_from', zh: '起始年', en: 'From year', type: 'int', min: 1900, max: 2200 },
    { name: 'period_to', zh: '截止年', en: 'To year', type: 'int', min: 1900, max: 2200 },
    { name: 'value', zh: '数值', en: 'Value', type: 'number', sort: true, aliases: ['数据', 'value'] },
    { name: 'value_text', zh: '文字值', en: 'Value (text)', type: 'text' },
    { name: 'unit', zh: '单位', en: 'Unit', type: 'text', max: 50, aliases: ['unit'] },
    note,
    { name: 'source', zh: '出处', en: 'Source', type: 'text', aliases: ['来源', '资料来源', 'source'] },
  ],
  display: {
    select: 'r.short_name AS region_name, c.name_zh AS country_name_zh',
    joins: `${REGION_JOIN} ${COUNTRY_JOIN}`,
    fields: ['region_name', 'country_name_zh'],
  },
  defaultSort: 'id',
  scoped: false,
  searchable: false,
  naturalKey: ['subject', 'indicator', 'year', 'period_from', 'period_to'],
};

/** Every generic registry by kind. Countries and regions have their own modules. */
export const REGISTRIES: Record<string, RegistryDef> = Object.fromEntries(
  [organizations, projects, funding, platforms, talents, mechanisms, outputs, facts].map((d) => [d.kind, d]),
);
