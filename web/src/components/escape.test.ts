/**
 * The escaping of chart tooltip markup (escape.ts): each of the five characters that end a text
 * or a quoted attribute in HTML becomes its entity, and an `html` template escapes its values,
 * never its literal parts.
 */
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeTooltips, html, SafeHtml } from './escape.ts';

describe('escapeHtml', () => {
  it.each([
    ['&', '&amp;'],
    ['<', '&lt;'],
    ['>', '&gt;'],
    ['"', '&quot;'],
    ["'", '&#39;'],
  ])('writes %s as %s', (c, entity) => {
    expect(escapeHtml(`a${c}b`)).toBe(`a${entity}b`);
  });

  it('escapes a stored name that carries markup, and & before the others (no double escape missed)', () => {
    expect(escapeHtml('<img src=x onerror="window.__xss=1">常州&Co\'s')).toBe('&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;常州&amp;Co&#39;s');
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });

  it('writes numbers, null and undefined as text', () => {
    expect(escapeHtml(12.5)).toBe('12.5');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml('德国 Germany')).toBe('德国 Germany');
  });
});

describe('html template', () => {
  it('keeps the literal markup and escapes every value', () => {
    const name = '<b onmouseover="x()">甲</b>';
    const out = html`${name}<br/>度数: ${3}`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(out.html).toBe('&lt;b onmouseover=&quot;x()&quot;&gt;甲&lt;/b&gt;<br/>度数: 3');
    expect(String(out)).toBe(out.html);
  });

  it('nests built markup without escaping it twice', () => {
    const line = html`${'A&B'}`;
    expect(html`${line}<br/>${'<i>'}`.html).toBe('A&amp;B<br/>&lt;i&gt;');
  });
});

describe('escapeTooltips (applied by the Chart component to every option)', () => {
  const params = { name: '<img src=x onerror="alert(1)">德国', value: 3 };
  type F = (p: typeof params) => unknown;
  it('passes markup built with html and escapes a formatter’s plain string', () => {
    const option = escapeTooltips({
      tooltip: { trigger: 'item', formatter: ((p) => html`${p.name}<br/>项目: ${p.value}`) as F },
      series: [{ type: 'bar', tooltip: { formatter: ((p) => `${p.name}: ${p.value}`) as F } }, { type: 'line' }],
    });
    expect((option.tooltip.formatter as F)(params)).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;德国<br/>项目: 3');
    expect((option.series[0].tooltip!.formatter as F)(params)).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;德国: 3');
    expect(option.series[1]).toEqual({ type: 'line' });
  });

  it('leaves string templates (ECharts escapes them), other results and the given option alone', () => {
    const el = { nodeType: 1 };
    const element = () => el;
    const given = { tooltip: [{ formatter: '{b}: {c}' as string | (() => unknown) }, { formatter: element as string | (() => unknown) }] };
    const option = escapeTooltips(given);
    expect(option.tooltip[0].formatter).toBe('{b}: {c}');
    expect((option.tooltip[1].formatter as () => unknown)()).toBe(el);
    expect(given.tooltip[1].formatter).toBe(element);
    expect(option).not.toBe(given);
  });
});
