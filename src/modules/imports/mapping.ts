/**
 * Recognising columns: a header as people write it (项目经费（万元）, Country, 国家/地区,
 * "项目编号 / Code" from our own exports) is matched to a target field by its Chinese and English
 * labels and aliases. Units written in the header (万元, 亿元, 元) are kept for the values.
 */
import type { FieldDef } from '../registry/registry.types.ts';
import { presetFor, presetMapping } from './presets.ts';

export interface Target {
  /** Field or pseudo-field key the converter understands. */
  key: string;
  zh: string;
  en: string;
  aliases?: readonly string[];
}

export interface ColumnMatch {
  index: number;
  label: string;
  target: string | null;
  /** Unit found in the header, e.g. 万元 in 项目经费（万元）. */
  unit?: string;
  how?: 'explicit' | 'preset' | 'exact' | 'contains';
  /** The preset (presets.ts) that mapped the column. */
  preset?: string;
}

const PAREN = /[（(【\[]([^）)】\]]*)[）)】\]]/g;
const MONEY_UNITS = ['亿元', '万元', '千元', '元'];

/** Lower-case, no spaces or punctuation: how labels are compared. */
export function labelKey(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** A header's unit, if it names one in parentheses or as a suffix. */
export function headerUnit(label: string): string | undefined {
  for (const m of label.normalize('NFKC').matchAll(PAREN)) {
    const inner = m[1].replace(/\s/g, '');
    const money = MONEY_UNITS.find((u) => inner.includes(u));
    if (money) return money;
    if (/^(%|个|家|项|件|人|名|本|次|人次|对|列|位|份)$/.test(inner)) return inner;
  }
  return undefined;
}

function candidates(t: Target): string[] {
  return [t.key, t.zh, t.en, ...(t.aliases ?? [])].map(labelKey).filter(Boolean);
}

/** Targets of a registry's writable fields. */
export function fieldTargets(fields: readonly FieldDef[]): Target[] {
  return fields.filter((f) => !f.readOnly).map((f) => ({ key: f.name, zh: f.zh, en: f.en, aliases: f.aliases }));
}

/**
 * Matches each header to at most one target. An explicit mapping wins; then a preset for a known
 * file shape (presets.ts); then exact label or alias matches; then the longest label contained
 * in the header. A target is used once.
 */
export function matchColumns(
  labels: { index: number; label: string }[],
  targets: Target[],
  explicit: Record<string, string> = {},
  opts: { contains?: boolean; presets?: boolean } = {},
): ColumnMatch[] {
  const used = new Set<string>();
  const out: ColumnMatch[] = labels.map((l) => ({ index: l.index, label: l.label, target: null, unit: headerUnit(l.label) }));
  const explicitByKey = new Map(Object.entries(explicit).map(([k, v]) => [labelKey(k), v]));
  // A known file shape (CORDIS exports …) maps its columns unless the caller mapped them.
  const preset = opts.presets === false ? null : presetFor(labels.map((l) => l.label), targets);
  const presetByKey = new Map(Object.entries(preset ? presetMapping(preset, labels.map((l) => l.label)) : {}).map(([k, v]) => [labelKey(k), v]));
  for (const m of out) {
    const own = explicitByKey.get(labelKey(m.label));
    const e = own ?? presetByKey.get(labelKey(m.label));
    if (e !== undefined) {
      m.target = e === '' || e === '-' ? null : e;
      m.how = own !== undefined ? 'explicit' : 'preset';
      if (own === undefined) m.preset = preset!.name;
      if (m.target) used.add(m.target);
    }
  }
  const keys = targets.map((t) => ({ t, c: candidates(t) }));
  // Exact: the whole header, a part of a "中文 / English" header, or the header without its parentheses.
  for (const m of out) {
    if (m.how) continue;
    const forms = new Set<string>([labelKey(m.label), labelKey(m.label.replace(PAREN, ''))]);
    for (const part of m.label.split(/\s+\/\s+|\s*\|\s*/)) forms.add(labelKey(part));
    const hit = keys.find(({ t, c }) => !used.has(t.key) && c.some((x) => forms.has(x)));
    if (hit) {
      m.target = hit.t.key;
      m.how = 'exact';
      used.add(hit.t.key);
    }
  }
  // Tables of stated figures keep unmatched columns as measures, so only exact matches count there.
  if (opts.contains === false) return out;
  for (const m of out) {
    if (m.how) continue;
    const k = labelKey(m.label.replace(PAREN, ''));
    if (k.length < 2) continue;
    let best: { key: string; len: number } | null = null;
    for (const { t, c } of keys) {
      if (used.has(t.key)) continue;
      for (const x of c) {
        if (x.length >= 2 && k.includes(x) && (!best || x.length > best.len)) best = { key: t.key, len: x.length };
      }
    }
    if (best) {
      m.target = best.key;
      m.how = 'contains';
      used.add(best.key);
    }
  }
  return out;
}
