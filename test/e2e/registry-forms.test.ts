/**
 * Every registry's create, edit and delete forms, walked in Chromium as officers use them, in
 * both languages (issue 19 §1): the forms are driven through their labels (so a label that does
 * not point at its input fails here too), every field the form offers is filled with a value of
 * its type, and what the API then holds is compared with what was typed. The edit form must open
 * with the stored values; the server's field errors must show on the field they name; roles that
 * may not write get no form. The field list comes from /api/meta/registries — the same
 * description the server validates with — so a new field is walked without changing this file.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_TEST_TIMEOUT, launch, login, newPage, shot, startServer, type E2EServer } from './harness.ts';

interface FieldMeta {
  name: string;
  zh: string;
  en: string;
  type: 'text' | 'longtext' | 'int' | 'number' | 'bool' | 'date' | 'enum' | 'iso3' | 'ref';
  values?: { value: string; zh: string; en: string }[];
  ref?: 'admin_regions' | 'organizations' | 'projects';
  required: boolean;
  min?: number;
  max?: number;
  readOnly: boolean;
}
interface RegistryMeta {
  kind: string;
  zh: string;
  en: string;
  fields: FieldMeta[];
}
type Lang = 'zh' | 'en';

/** Kinds in an order where every reference can point at a record made before it. */
const ORDER = ['organizations', 'projects', 'funding', 'platforms', 'talents', 'mechanisms', 'outputs', 'facts'];

let server: E2EServer;
let browser: Browser;
let registries: RegistryMeta[];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('postgres'), launch()]);
  await server.user('bureau', 'cz-officer', { region: '常州' });
  await server.user('district', 'xb-officer', { region: '新北' });
  await server.user('evaluator', 'e2e-evaluator');
  await server.user('public', 'e2e-visitor');
  const page = await newPage(browser, server.url);
  await login(page, 'cz-officer');
  registries = (await (await page.request.get('/api/meta/registries')).json()).registries as RegistryMeta[];
  await page.context().close();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const labelOf = (f: { zh: string; en: string }, lang: Lang) => (lang === 'en' ? f.en : f.zh);

/** Values of text fields that other fields search for or that have a format of their own. */
const NAMED: Record<Lang, Record<string, string>> = {
  zh: {
    'organizations.name_zh': '常州测试精密机械有限公司',
    'organizations.name_en': 'Changzhou Test Precision Machinery Co.',
    code: 'CZ-2024-E2E-01',
    'projects.title_zh': '锂电池低温性能联合研发',
    'projects.title_en': 'Joint R&D on low-temperature lithium batteries',
    uscc: '91320411587234567X',
    currency: 'EUR',
    email: 'expert.zh@example.org',
    website: 'https://example.org',
    unit: '件',
  },
  en: {
    'organizations.name_zh': '泰斯通材料有限公司',
    'organizations.name_en': 'Teston Materials Co.',
    code: 'XB-2025-E2E-02',
    'projects.title_zh': '海上风电齿轮箱故障诊断',
    'projects.title_en': 'Fault diagnosis of offshore wind gearboxes',
    uscc: '913204115872345678',
    currency: 'EUR',
    email: 'expert.en@example.org',
    website: 'https://example.org',
    unit: 'items',
  },
};
/** What the pickers of references search for, and the option they then show. */
const REFS: Record<Lang, { org: { search: string; option: RegExp }; project: { search: string; option: RegExp } }> = {
  zh: { org: { search: '精密机械', option: /常州测试精密机械有限公司/ }, project: { search: '锂电池', option: /CZ-2024-E2E-01/ } },
  en: { org: { search: 'Teston', option: /泰斯通材料有限公司/ }, project: { search: '齿轮箱', option: /XB-2025-E2E-02/ } },
};

/** The value typed into a field: of its type, within its limits, recognisable per run. */
function valueFor(kind: string, f: FieldMeta, lang: Lang, dateIndex: number): string | number | boolean | null {
  switch (f.type) {
    case 'text': {
      const v = NAMED[lang][`${kind}.${f.name}`] ?? NAMED[lang][f.name] ?? (lang === 'en' ? `Test ${kind} ${f.name}` : `测试${f.zh}`);
      return f.max ? v.slice(0, f.max) : v;
    }
    case 'longtext':
      return lang === 'en' ? `A longer text for ${kind}, written in the form.` : `表单中填写的${kind}说明文字。`;
    case 'int':
      if (f.name === 'birth_year') return 1975;
      if (f.name === 'period_to') return 2024;
      return f.min !== undefined && f.min >= 1900 ? 2023 : 3;
    case 'number':
      return f.name === 'amount' ? 125.5 : 7;
    case 'bool':
      return true;
    case 'date':
      return ['2024-03-01', '2026-02-28', '2027-06-30'][dateIndex] ?? '2028-01-01';
    default:
      return null; // choices: picked in the page
  }
}

/** The input a label points at (fails when the label is not linked to its input). */
const control = (page: Page, f: FieldMeta, lang: Lang) => page.getByLabel(labelOf(f, lang), { exact: true });

async function pickOption(page: Page, f: FieldMeta, lang: Lang, search: string | null, optionText: RegExp | null): Promise<string> {
  const box = control(page, f, lang);
  await box.click();
  if (search !== null) {
    // The picker searches on the server as one types: pick from the answer to what was typed,
    // not from the list shown before it (a search already in the page's cache sends nothing).
    const answered = page
      .waitForResponse((r) => new URL(r.url()).searchParams.get('q') === search, { timeout: 10_000 })
      .catch(() => null);
    await box.fill(search);
    await answered;
  }
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
  const option = optionText ? dropdown.locator('.ant-select-item-option', { hasText: optionText }).first() : dropdown.locator('.ant-select-item-option').first();
  await option.waitFor();
  const text = (await option.textContent()) ?? '';
  await option.click();
  return text;
}

async function pickDate(page: Page, f: FieldMeta, lang: Lang, iso: string) {
  const box = control(page, f, lang);
  await box.click();
  await box.fill(iso);
  // Leaving the field takes the typed date (Enter would also submit the form, as in any HTML form).
  await box.press('Tab');
  await expect.poll(() => box.inputValue()).toBe(iso);
}

interface Made {
  id: number;
  expected: Record<string, unknown>;
}

/**
 * Fills every writable field of a registry's form and returns what the API must then hold.
 * `refs` are the records made earlier in the same language (organisation name, project code).
 */
async function fillForm(page: Page, meta: RegistryMeta, lang: Lang, refs: { org?: boolean; project?: boolean }): Promise<Record<string, unknown>> {
  const expected: Record<string, unknown> = {};
  let dates = 0;
  for (const f of meta.fields.filter((x) => !x.readOnly)) {
    const v = valueFor(meta.kind, f, lang, f.type === 'date' ? dates : 0);
    switch (f.type) {
      case 'text':
      case 'longtext':
      case 'int':
      case 'number':
        await control(page, f, lang).fill(String(v));
        expected[f.name] = v;
        break;
      case 'bool':
        await control(page, f, lang).click();
        expected[f.name] = true;
        break;
      case 'date':
        await pickDate(page, f, lang, String(v));
        expected[f.name] = v;
        dates++;
        break;
      case 'enum': {
        const first = f.values![0]!;
        await pickOption(page, f, lang, null, new RegExp(`^${escapeRe(labelOf(first, lang))}$`));
        expected[f.name] = first.value;
        break;
      }
      case 'iso3':
        await pickOption(page, f, lang, lang === 'en' ? 'Germany' : '德国', lang === 'en' ? /^Germany$/ : /^德国$/);
        expected[f.name] = 'DEU';
        break;
      case 'ref':
        if (f.ref === 'admin_regions') {
          await pickOption(page, f, lang, '新北', /新北|Xinbei/);
          expected[f.name] = 'xinbei';
        } else {
          const which = f.ref === 'organizations' ? 'org' : 'project';
          if (!refs[which]) break;
          await pickOption(page, f, lang, REFS[lang][which].search, REFS[lang][which].option);
          expected[f.name] = `ref:${f.ref}`;
        }
        break;
    }
  }
  return expected;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function apiGet(page: Page, url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await page.request.get(url);
  return { status: res.status(), body: res.status() === 200 ? ((await res.json()) as Record<string, unknown>) : {} };
}

/** Compares what the API holds with what was typed; references are checked to point somewhere real. */
async function expectStored(page: Page, kind: string, id: number, expected: Record<string, unknown>, ids: { xinbei: number; org?: number; project?: number }) {
  const { status, body } = await apiGet(page, `/api/${kind}/${id}`);
  expect(status, `GET /api/${kind}/${id}`).toBe(200);
  for (const [name, v] of Object.entries(expected)) {
    if (v === 'xinbei') expect(body[name], `${kind}.${name}`).toBe(ids.xinbei);
    else if (v === 'ref:organizations') expect(body[name], `${kind}.${name}`).toBe(ids.org);
    else if (v === 'ref:projects') expect(body[name], `${kind}.${name}`).toBe(ids.project);
    else expect(body[name], `${kind}.${name}`).toEqual(v);
  }
}

describe.each([
  ['zh', 'cz-officer'],
  ['en', 'xb-officer'],
] as const)('registry forms in %s, as %s', (lang, username) => {
  let page: Page;
  const made: Record<string, Made> = {};
  const ids: { xinbei: number; org?: number; project?: number } = { xinbei: 0 };

  beforeAll(async () => {
    page = await newPage(browser, server.url, lang);
    page.setViewportSize({ width: 1440, height: 900 });
    await login(page, username);
    const regions = (await (await page.request.get('/api/regions', { params: { q: '新北' } })).json()) as { items: { id: number; short_name: string }[] };
    ids.xinbei = regions.items.find((r) => r.short_name === '新北')!.id;
  });
  afterAll(async () => {
    await page?.context().close();
  });

  for (const kind of ORDER) {
    it(`creates a record of ${kind} through its form, with every field kept`, { timeout: E2E_TEST_TIMEOUT }, async () => {
      const meta = registries.find((r) => r.kind === kind)!;
      expect(meta, kind).toBeDefined();
      await page.goto(`/registries/${kind}`);
      await page.getByTestId('create').click();
      await page.waitForURL(new RegExp(`/registries/${kind}/new$`));
      await page.getByTestId('form-title').waitFor();
      const refs = { org: !!made.organizations, project: !!made.projects };
      const expected = await fillForm(page, meta, lang, refs);
      await shot(page, `forms-${lang}-${kind}-new`);
      await page.getByTestId('save').click();
      await page.waitForURL(new RegExp(`/registries/${kind}/\\d+$`));
      const id = Number(page.url().split('/').pop());
      if (kind === 'organizations') ids.org = id;
      if (kind === 'projects') ids.project = id;
      await page.getByTestId('detail').waitFor();
      await expectStored(page, kind, id, expected, ids);
      made[kind] = { id, expected };
    });
  }

  for (const kind of ORDER) {
    it(`opens the edit form of ${kind} with the stored values, and keeps a change`, { timeout: E2E_TEST_TIMEOUT }, async () => {
      const meta = registries.find((r) => r.kind === kind)!;
      const rec = made[kind];
      expect(rec, `${kind} was created`).toBeDefined();
      await page.goto(`/registries/${kind}/${rec!.id}`);
      await page.getByTestId('edit').click();
      await page.waitForURL(new RegExp(`/registries/${kind}/${rec!.id}/edit$`));
      // Every typed field shows what is stored (the bug: edit forms opened blank).
      for (const f of meta.fields.filter((x) => !x.readOnly)) {
        const v = rec!.expected[f.name];
        if (v === undefined) continue;
        if (f.type === 'text' || f.type === 'longtext' || f.type === 'date') await expect.poll(() => control(page, f, lang).inputValue(), { message: `${kind}.${f.name}` }).toBe(String(v));
        else if (f.type === 'int' || f.type === 'number') await expect.poll(async () => Number(await control(page, f, lang).inputValue()), { message: `${kind}.${f.name}` }).toBe(v);
        else if (f.type === 'bool') expect(await control(page, f, lang).getAttribute('aria-checked'), `${kind}.${f.name}`).toBe('true');
      }
      await shot(page, `forms-${lang}-${kind}-edit`);
      const text = meta.fields.find((f) => f.type === 'text' && !f.readOnly && !['uscc', 'currency', 'email', 'website', 'code', 'unit'].includes(f.name))!;
      const changed = lang === 'en' ? 'Changed in the edit form' : '在编辑表单中修改';
      await control(page, text, lang).fill(changed);
      await page.getByTestId('save').click();
      await page.waitForURL(new RegExp(`/registries/${kind}/${rec!.id}$`));
      await expectStored(page, kind, rec!.id, { ...rec!.expected, [text.name]: changed }, ids);
    });
  }

  it('shows the server\'s refusal on the field it names (an invalid unified social credit code)', { timeout: E2E_TEST_TIMEOUT }, async () => {
    const meta = registries.find((r) => r.kind === 'organizations')!;
    await page.goto('/registries/organizations/new');
    await page.getByTestId('form-title').waitFor();
    await control(page, meta.fields.find((f) => f.name === 'name_zh')!, lang).fill(lang === 'en' ? 'Code check company' : '信用代码校验公司');
    const uscc = meta.fields.find((f) => f.name === 'uscc')!;
    await control(page, uscc, lang).fill('12345');
    await page.getByTestId('save').click();
    expect(await page.getByTestId('error-code').textContent()).toBe('VALIDATION_FAILED');
    const item = page.locator('.ant-form-item-has-error').filter({ has: control(page, uscc, lang) });
    await expect.poll(() => item.locator('.ant-form-item-explain-error').textContent()).toBe(lang === 'en' ? 'A unified social credit code has 18 digits or capital letters' : '统一社会信用代码应为 18 位数字或大写字母');
    // The alert names the field by its label, never by its key.
    const alert = (await page.getByTestId('error-alert').textContent()) ?? '';
    expect(alert).toContain(labelOf(uscc, lang));
    expect(alert).not.toMatch(/["“]uscc["”]/);
    await shot(page, `forms-${lang}-field-error`);
  });

  for (const kind of [...ORDER].reverse()) {
    it(`deletes the ${kind} record from its page`, { timeout: E2E_TEST_TIMEOUT }, async () => {
      const rec = made[kind];
      expect(rec, `${kind} was created`).toBeDefined();
      await page.goto(`/registries/${kind}/${rec!.id}`);
      await page.getByTestId('delete').click();
      await page.locator('.ant-popconfirm .ant-btn-primary').click();
      // Back to the list once deleted; a refusal shows on the page and fails here with its words.
      const refused = page.getByTestId('error-alert');
      await Promise.race([
        page.waitForURL(new RegExp(`/registries/${kind}$`)),
        refused.waitFor().then(async () => {
          throw new Error(`deleting ${kind} was refused: ${await refused.textContent()}`);
        }),
      ]);
      expect((await apiGet(page, `/api/${kind}/${rec!.id}`)).status).toBe(404);
    });
  }
});

describe('roles that may not write registries', { timeout: E2E_TEST_TIMEOUT }, () => {
  it.each(['e2e-evaluator', 'e2e-visitor'])('%s gets no create button and no form', async (username) => {
    const page = await newPage(browser, server.url);
    await login(page, username);
    for (const kind of ['organizations', 'projects']) {
      await page.goto(`/registries/${kind}`);
      await page.getByTestId('export').waitFor();
      expect(await page.getByTestId('create').count()).toBe(0);
      await page.goto(`/registries/${kind}/new`);
      await page.getByTestId('error-page').waitFor();
      expect(await page.getByTestId('save').count()).toBe(0);
    }
    await shot(page, `forms-refused-${username}`);
    await page.context().close();
  });
});
