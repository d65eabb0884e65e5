/**
 * HTTP routes of the countries registry (国家和地区): validate, call the service, shape the reply.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ctx } from '../../http/context.ts';
import {
  aliasCreate,
  aliasCreated,
  countryDetail,
  countryGroupList,
  countryList,
  countryListQuery,
  countryPatch,
  errorReply,
  iso3Param,
  resolveQuery,
  resolveResult,
} from './countries.schema.ts';
import {
  addCountryAlias,
  getCountry,
  listCountries,
  listCountryGroups,
  resolveCountryNames,
  updateCountry,
} from './countries.service.ts';

const tags = ['countries'];

/** GET/PATCH /countries…, POST /countries/:iso3/aliases, GET /country-groups. */
export const countriesRoutes: FastifyPluginAsync = async (app) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/countries',
    {
      schema: {
        tags,
        summary: '国家和地区列表 / List countries and regions',
        description: '按名称、别名或代码搜索，按类型或国家组（如 BRI、RCEP、EU）筛选 / search by name, alias or code; filter by kind or group',
        querystring: countryListQuery,
        response: { 200: countryList, 400: errorReply },
      },
    },
    async (req) => listCountries(ctx(req), req.query),
  );

  // Registered before /countries/:iso3; static segments win in Fastify's router anyway.
  api.get(
    '/countries/resolve',
    {
      schema: {
        tags,
        summary: '识别国家名称 / Resolve country names',
        description:
          '把写法各异的名称（简称、全称、英文、WIPO/世界银行写法、代码）识别为 ISO 3166 国家或地区；无把握时给出建议 / ' +
          'resolve names as written (short and long forms, English, WIPO and World Bank spellings, codes); suggestions when unsure',
        querystring: resolveQuery,
        response: { 200: resolveResult, 400: errorReply },
      },
    },
    async (req) => {
      const names = Array.isArray(req.query.name) ? req.query.name : [req.query.name];
      return { results: await resolveCountryNames(ctx(req), names) };
    },
  );

  api.get(
    '/countries/:iso3',
    {
      schema: {
        tags,
        summary: '国家或地区详情 / Country or region detail',
        description: '含别名、所属国家组和指标值 / with aliases, groups and indicator values',
        params: iso3Param,
        response: { 200: countryDetail, 400: errorReply, 404: errorReply },
      },
    },
    async (req) => getCountry(ctx(req), req.params.iso3),
  );

  api.patch(
    '/countries/:iso3',
    {
      schema: {
        tags,
        summary: '修改国家或地区名称、备注 / Update a country name or note',
        description: '原名称保留为别名 / the old name stays as an alias',
        params: iso3Param,
        body: countryPatch,
        response: { 200: countryDetail, 400: errorReply, 403: errorReply, 404: errorReply, 409: errorReply },
      },
    },
    async (req) => updateCountry(ctx(req), req.params.iso3, req.body),
  );

  api.post(
    '/countries/:iso3/aliases',
    {
      schema: {
        tags,
        summary: '添加国家别名 / Add a country alias',
        params: iso3Param,
        body: aliasCreate,
        response: { 201: aliasCreated, 400: errorReply, 403: errorReply, 404: errorReply, 409: errorReply },
      },
    },
    async (req, reply) => {
      const alias = await addCountryAlias(ctx(req), req.params.iso3, req.body);
      return reply.status(201).send(alias);
    },
  );

  api.get(
    '/country-groups',
    {
      schema: {
        tags,
        summary: '国家组列表 / List country groups',
        description: '共建“一带一路”、RCEP、欧盟、经合组织、二十国集团、东盟、金砖国家及其成员 / BRI, RCEP, EU, OECD, G20, ASEAN, BRICS and their members',
        response: { 200: countryGroupList },
      },
    },
    async (req) => ({ items: await listCountryGroups(ctx(req)) }),
  );
};
