import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, MAX_TEXT_CHARS, sanitizeText, stripHtml } from './analyze.ts';
import { match, MatchIndex, PROFILE_KINDS, type Profile } from './matcher.ts';

const PROFILES: Profile[] = [
  { id: 'o1', kind: 'offer', title: 'Supercritical fluid crystallization of poorly soluble drugs', lang: 'en', field: 'biomedicine', trl: 5, cooperation: ['licence', 'joint R&D'], country: 'GBR' },
  { id: 'o2', kind: 'offer', title: 'Wireless sensor networks for underground coal mines', lang: 'en', field: 'ICT', trl: 7, cooperation: ['technical service'], country: 'ISR' },
  { id: 'o3', kind: 'offer', title: 'Laser cladding for remanufacturing of shafts', lang: 'en', field: 'manufacturing', trl: 6, cooperation: ['licence'], country: 'GBR' },
  { id: 'd1', kind: 'demand', title: '难溶性药物超临界流体结晶技术', summary: '寻求合作伙伴联合研发', lang: 'zh', field: 'biomedicine', trl: 4, cooperation: ['joint R&D'], country: 'CHN' },
  { id: 't1', kind: 'talent', title: '胶原蛋白海绵制备专家', lang: 'zh', field: 'biomedicine', trl: 6, country: 'DEU' },
  { id: 'p1', kind: 'partner', title: 'Fraunhofer institute: CNC machine tools and collagen biomaterials', lang: 'en', field: 'manufacturing', country: 'DEU' },
];

describe('match', () => {
  it('ranks an English offer first for a Chinese demand, with reasons and translations', () => {
    const [first] = match('超临界流体结晶', PROFILES, { filters: { kind: 'offer' } });
    expect(first).toMatchObject({ id: 'o1', kind: 'offer' });
    const terms = first.reasons.filter((r) => r.type === 'term');
    expect(terms.some((r) => r.via === 'glossary')).toBe(true);
    for (const r of first.reasons) expect(r.detail_zh.length * r.detail_en.length).toBeGreaterThan(0);
  });

  it('adds field, stage and cooperation fit for a profile query, and excludes the query itself', () => {
    const demand = PROFILES.find((p) => p.id === 'd1')!;
    const results = match(demand, PROFILES, { filters: { kind: 'offer' } });
    expect(results[0].id).toBe('o1');
    expect(results.every((r) => r.kind === 'offer')).toBe(true);
    expect(results[0].reasons.map((r) => r.type)).toEqual(expect.arrayContaining(['term', 'field', 'stage', 'cooperation']));
    expect(match(demand, PROFILES).some((r) => r.id === 'd1')).toBe(false);
  });

  it('filters by kind, country, field, TRL and cooperation type', () => {
    const q = 'collagen sponge CNC machine tool supercritical laser cladding wireless';
    expect(match(q, PROFILES, { filters: { country: 'deu' } }).map((r) => r.id).sort()).toEqual(['p1', 't1']);
    expect(match(q, PROFILES, { filters: { kind: ['partner'] } }).map((r) => r.id)).toEqual(['p1']);
    expect(match(q, PROFILES, { filters: { trlMin: 6, trlMax: 7 } }).map((r) => r.id).sort()).toEqual(['o2', 'o3', 't1']);
    expect(match(q, PROFILES, { filters: { cooperation: ['licence'] } }).map((r) => r.id).sort()).toEqual(['o1', 'o3']);
    expect(match(q, PROFILES, { filters: { field: 'manufacturing' }, top: 1 })).toHaveLength(1);
  });

  it('structured-only queries rank by field, stage and cooperation', () => {
    const results = match({ title: '', field: 'biomedicine', trl: 5, cooperation: ['licence'] }, PROFILES);
    expect(results[0].id).toBe('o1');
    expect(results.every((r) => r.reasons.every((x) => x.type !== 'term'))).toBe(true);
  });
});

describe('technology areas (taxonomy.ts)', () => {
  // No word, and no translation of one, is shared between the demand and the relevant offers:
  // only their area (oncology; biomaterials) links them.
  const OFFERS: Profile[] = [
    { id: 'lym', kind: 'offer', title: 'Lymphoma immunotherapy with engineered T cells' },
    { id: 'scaf', kind: 'offer', title: 'Hydrogel scaffolds for tissue engineering' },
    { id: 'gear', kind: 'offer', title: 'Gearbox condition monitoring for wind turbines' },
    { id: 'sea', kind: 'offer', title: 'Deep-sea sponge grounds of the North Atlantic' },
    { id: 'med', kind: 'offer', title: 'Collagen sponge for surgical haemostasis' },
  ];

  it('match a Chinese demand to an English offer of its area that shares no word, and say so', () => {
    const [first] = match('白血病新疗法', OFFERS);
    expect(first.id).toBe('lym');
    const area = first.reasons.find((r) => r.type === 'term' && r.term === 'oncology')!;
    expect(area.detail_zh).toBe('同属技术方向「肿瘤与癌症」：白血病 ↔ lymphoma');
    expect(area.detail_en).toBe('same technology area "oncology and cancer": 白血病 ↔ lymphoma');
    expect(area.via).toBeUndefined();
    // The field both are in, inferred from the texts (neither states one).
    expect(first.reasons.some((r) => r.type === 'field' && r.term === 'biomedicine')).toBe(true);
  });

  it('weigh a shared word by its context: the medical sponge before the deep-sea one', () => {
    const ranked = match('医用海绵', OFFERS).map((r) => r.id);
    expect(ranked.indexOf('med')).toBeLessThan(ranked.indexOf('sea'));
  });

  it('give a profile its stated field as a field token, so a stated field meets an inferred one', () => {
    // Same text; one states the field 胶原蛋白 is read into (biotechnology), the other none.
    const stated: Profile = { id: 'x', kind: 'offer', title: 'Modular test platform for collagen', field: 'biotechnology' };
    const bare: Profile = { ...stated, id: 'y', field: null };
    const [x, y] = match('胶原蛋白支架', [stated, bare]);
    expect([x.id, y.id]).toEqual(['x', 'y']);
    expect(x.score).toBeGreaterThan(y.score);
    expect(x.reasons.find((r) => r.type === 'field')).toMatchObject({ term: 'biotechnology' });
  });

  it('return the same top k as a longer list cut to k (areas are looked at lazily, never missed)', () => {
    const index = new MatchIndex();
    const pool = [...OFFERS, ...PROFILES.map((p) => ({ ...p, kind: 'offer' as const }))];
    for (let i = 0; i < 300; i++) {
      const p = pool[i % pool.length];
      index.add({ ...p, id: `${p.id}-${i}`, summary: i % 3 === 0 ? 'cancer therapy' : i % 3 === 1 ? '风电 齿轮箱' : null });
    }
    for (const q of ['白血病新疗法', '医用海绵', 'wind turbine gearbox', '超临界流体结晶', '肿瘤', 'tissue scaffolds']) {
      for (const k of [1, 3, 10]) {
        const strip = (rs: { id: string; score: number }[]) => rs.map((r) => r.score);
        expect(strip(index.match(q, { top: k })), `${q} top ${k}`).toEqual(strip(index.match(q, { top: 200 }).slice(0, k)));
      }
    }
  });
});

describe('MatchIndex is incremental', () => {
  it('add, replace and remove without rebuilding, with the same scores as a fresh index', () => {
    const index = new MatchIndex();
    for (const p of PROFILES) index.add(p);
    index.add({ id: 'tmp', kind: 'offer', title: 'Supercritical fluid extraction of plant oils' });
    expect(index.match('超临界流体').some((r) => r.id === 'tmp')).toBe(true);
    expect(index.remove('tmp')).toBe(true);
    expect(index.remove('tmp')).toBe(false);
    expect(index.match('超临界流体').some((r) => r.id === 'tmp')).toBe(false);
    index.add({ ...PROFILES[2], title: 'Collagen scaffolds' }); // replaces o3
    expect(index.size).toBe(PROFILES.length);
    const fresh = new MatchIndex();
    for (const p of [...PROFILES.filter((p) => p.id !== 'o3'), { ...PROFILES[2], title: 'Collagen scaffolds' }]) fresh.add(p);
    for (const q of ['超临界流体结晶', '胶原蛋白', 'laser cladding']) {
      const norm = (rs: { id: string; score: number }[]) => rs.map((r) => [r.id, r.score]).sort();
      expect(norm(index.match(q))).toEqual(norm(fresh.match(q)));
    }
  });
});

describe('bad input', () => {
  it('empty text gives no results', () => {
    expect(match('', PROFILES)).toEqual([]);
    expect(match('   \n', PROFILES)).toEqual([]);
    expect(new MatchIndex().match('超临界')).toEqual([]);
  });

  it('huge text is truncated and flagged', () => {
    const huge = '超临界流体结晶 '.repeat(100_000);
    expect(sanitizeText(huge)).toMatchObject({ truncated: true });
    expect(sanitizeText(huge).text.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    const index = new MatchIndex();
    for (const p of PROFILES) index.add(p);
    const out = index.matchDetailed(huge, { filters: { kind: 'offer' } });
    expect(out.query.truncated).toBe(true);
    expect(out.results[0].id).toBe('o1');
  });

  it('strips HTML tags, scripts and entities', () => {
    expect(stripHtml('<p>Laser <b>cladding</b></p><script>alert("x")</script>&amp; more').replace(/\s+/g, ' ').trim()).toBe('Laser cladding & more');
    expect(stripHtml('<!-- c --><style>p{}</style>胶原<br/>蛋白&#x4e00;').replace(/\s+/g, '')).toBe('胶原蛋白一');
    const out = new MatchIndex();
    for (const p of PROFILES) out.add(p);
    const r = out.matchDetailed('<div class="x"><h1>Laser cladding</h1><img src=x onerror=alert(1)></div>');
    expect(r.query.html).toBe(true);
    expect(r.results[0].id).toBe('o3');
    expect(analyze('<a href="http://evil">x</a>').bag.has('evil')).toBe(false);
  });

  it('other scripts tokenize without translation and without error', () => {
    const index = new MatchIndex();
    index.add({ id: 'ru', kind: 'offer', title: 'лазерная наплавка' });
    index.add({ id: 'ar', kind: 'offer', title: 'الطاقة الشمسية' });
    expect(index.match('лазерная').map((r) => r.id)).toEqual(['ru']);
    expect(index.match('🙂🙂 ☃').length).toBe(0);
  });

  it('never throws on garbage (property)', () => {
    const index = new MatchIndex();
    for (const p of PROFILES) index.add(p);
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.array(fc.constantFrom('<', '>', '&', '#x', ';', '超临界', '流体', 'laser', '<script>', '</', ' ', '\u0000', '\ud800'), { maxLength: 40 }).map((a) => a.join('')),
    );
    const garbage = fc.oneof(text, fc.anything());
    fc.assert(
      fc.property(garbage, garbage, fc.anything(), (q, title, top) => {
        const results = index.match(q as never, { top: top as never });
        expect(Array.isArray(results)).toBe(true);
        for (const r of results) expect(Number.isFinite(r.score)).toBe(true);
        index.add({ id: 'g', kind: 'offer', title: title as never, trl: top as never, cooperation: q as never });
        index.remove('g');
      }),
      { numRuns: 300 },
    );
    expect(index.size).toBe(PROFILES.length);
  });

  it('scores are positive, sorted, and at most `top` (property)', () => {
    const words = ['超临界流体', '结晶', '胶原蛋白', 'laser', 'cladding', 'sensor', '无线', '数控机床', 'collagen', 'drug'];
    const profile = fc.record({
      id: fc.uuid(),
      kind: fc.constantFrom(...PROFILE_KINDS),
      title: fc.array(fc.constantFrom(...words), { maxLength: 6 }).map((a) => a.join(' ')),
      trl: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(profile, { maxLength: 15 }), fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 20 }), (ps, q, top) => {
        const results = match(q.join(''), ps, { top });
        expect(results.length).toBeLessThanOrEqual(top);
        for (let i = 0; i < results.length; i++) {
          expect(results[i].score).toBeGreaterThan(0);
          if (i > 0) expect(results[i].score).toBeLessThanOrEqual(results[i - 1].score);
        }
      }),
      { numRuns: 100 },
    );
  });
});
