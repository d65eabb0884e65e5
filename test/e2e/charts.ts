/**
 * Hovering the data items of the ECharts charts on a page, as a person moving the mouse over
 * them, and reading the tooltip each one opens. The position of an item is read from the chart
 * instance behind a `Chart` component (web/src/components/Chart.tsx keeps it in a ref, reached
 * through React's fiber of the chart's box — the product exposes nothing for tests); the
 * hovering itself is real mouse movement over the canvas.
 */
import type { Page } from 'playwright-core';

/** What one hover showed. */
export interface Hovered {
  chart: string;
  item: string;
  /** The tooltip's text as a person reads it ('' when none opened). */
  text: string;
  /** Elements the tooltip's HTML made that a tooltip must not hold (img, script, iframe …). */
  elements: string[];
}

/** The charts drawn on the page (their boxes carry data-rendered once ECharts has finished). */
export async function renderedCharts(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll('div[role="img"][data-rendered="true"]')].map((el, i) => el.getAttribute('data-testid') ?? `chart-${i}`));
}

/**
 * Hovers up to `max` data items of every chart on the page — the items whose data mentions
 * `prefer` first — and returns what each tooltip showed.
 */
export async function hoverCharts(page: Page, opts: { prefer?: string; max?: number } = {}): Promise<Hovered[]> {
  const max = opts.max ?? 12;
  const out: Hovered[] = [];
  // Every chart box (a Chart component's div), each once ECharts has finished drawing it: a
  // box loses data-rendered while a new option is drawn, so it is found by its place.
  const boxes = page.locator('div[role="img"]');
  const count = await boxes.count();
  for (let c = 0; c < count; c++) {
    const box = boxes.nth(c);
    await box.scrollIntoViewIfNeeded();
    await page.waitForFunction((el) => el?.getAttribute('data-rendered') === 'true', await box.elementHandle(), { timeout: 30_000 });
    const chart = (await box.getAttribute('data-testid')) ?? `chart-${c}`;
    const items = await box.evaluate(itemsOf, { prefer: opts.prefer ?? null, max });
    for (const item of items) {
      // A chart still settling (a tab sliding in, a force layout) can move an item away: twice.
      let tip: { text: string; elements: string[] } | null = null;
      for (let attempt = 0; attempt < 2 && !tip; attempt++) {
        // Positions are read again just before each move: a force layout keeps its nodes moving.
        const at = await box.evaluate(pointOf, item);
        if (!at) break;
        // Off the chart first, until its tooltip has gone: what is read next is this item's.
        await page.mouse.move(1, 1);
        for (let i = 0; i < 10 && (await box.evaluate(tooltipOf)); i++) await page.waitForTimeout(100);
        await page.mouse.move(at.x - 6, at.y - 6);
        await page.mouse.move(at.x, at.y, { steps: 3 });
        for (let i = 0; i < 10 && !tip; i++) {
          await page.waitForTimeout(100);
          tip = await box.evaluate(tooltipOf);
        }
      }
      out.push({ chart, item: item.name, text: tip?.text ?? '', elements: tip?.elements ?? [] });
    }
    await page.mouse.move(1, 1);
  }
  return out;
}

interface ItemRef {
  series: number;
  index: number;
  name: string;
}

/** The ECharts instance behind a Chart component's box (its second ref, `chart`). */
type Instance = {
  getModel(): { eachSeries(cb: (s: SeriesLike) => void): void; getSeriesByIndex(i: number): SeriesLike };
};
type SeriesLike = {
  seriesIndex: number;
  getData(): {
    count(): number;
    getName(i: number): string;
    getRawDataItem(i: number): unknown;
    getItemGraphicEl(i: number): GraphicLike | undefined;
  };
};
type GraphicLike = {
  isGroup?: boolean;
  silent?: boolean;
  invisible?: boolean;
  children?: () => GraphicLike[];
  getBoundingRect(): { clone(): RectLike };
  getComputedTransform(): number[] | null;
  contain?: (x: number, y: number) => boolean;
};
type RectLike = { x: number; y: number; width: number; height: number; applyTransform(m: number[]): void };

// The functions below run in the page (Playwright serialises them): each repeats what it needs.

function itemsOf(el: Element, arg: { prefer: string | null; max: number }): ItemRef[] {
  const key = Object.keys(el).find((k) => k.startsWith('__reactFiber$'))!;
  const chart = (el as unknown as Record<string, { return: { memoizedState: { next: { memoizedState: { current: Instance } } } } }>)[key].return.memoizedState.next.memoizedState.current;
  const all: (ItemRef & { preferred: boolean })[] = [];
  chart.getModel().eachSeries((s) => {
    const data = s.getData();
    for (let i = 0; i < data.count(); i++) {
      if (!data.getItemGraphicEl(i)) continue;
      const name = String(data.getName(i) ?? '');
      let raw = '';
      try {
        raw = JSON.stringify(data.getRawDataItem(i)) ?? '';
      } catch {
        raw = '';
      }
      all.push({ series: s.seriesIndex, index: i, name, preferred: !!arg.prefer && (name.includes(arg.prefer) || raw.includes(arg.prefer)) });
    }
  });
  const preferred = all.filter((x) => x.preferred);
  const rest = all.filter((x) => !x.preferred);
  return [...preferred, ...rest].slice(0, Math.max(arg.max, preferred.length)).map(({ series, index, name }) => ({ series, index, name }));
}

/** A point inside the item's shape, in page coordinates (null when none is found). */
function pointOf(el: Element, item: ItemRef): { x: number; y: number } | null {
  const key = Object.keys(el).find((k) => k.startsWith('__reactFiber$'))!;
  const chart = (el as unknown as Record<string, { return: { memoizedState: { next: { memoizedState: { current: Instance } } } } }>)[key].return.memoizedState.next.memoizedState.current;
  const g = chart.getModel().getSeriesByIndex(item.series).getData().getItemGraphicEl(item.index);
  if (!g) return null;
  const box = el.getBoundingClientRect();
  // Depth first through groups (a country is a group of polygons); no nested named functions
  // here: the page receives this function's source alone.
  const stack: GraphicLike[] = [g];
  // Without a point inside (a bar of height 0), the centre of its box: an axis tooltip still opens there.
  let fallback: { x: number; y: number } | null = null;
  while (stack.length) {
    const node = stack.pop()!;
    if (node.invisible) continue;
    if (node.isGroup && node.children) {
      stack.push(...node.children().reverse());
      continue;
    }
    const r = node.getBoundingRect().clone();
    const m = node.getComputedTransform();
    if (m) r.applyTransform(m);
    fallback ??= { x: box.left + r.x + r.width / 2, y: box.top + r.y + r.height / 2 };
    if (!(r.width > 0 || r.height > 0)) continue;
    // The centre first, then a grid over the box: a ring sector's or a country's centre can lie outside it.
    const candidates: [number, number][] = [[r.x + r.width / 2, r.y + r.height / 2]];
    for (let i = 1; i < 8; i++) for (let j = 1; j < 8; j++) candidates.push([r.x + (r.width * i) / 8, r.y + (r.height * j) / 8]);
    for (const [x, y] of candidates) {
      if (x < 0 || y < 0 || x > box.width || y > box.height) continue;
      if (!node.contain || node.contain(x, y)) return { x: box.left + x, y: box.top + y };
    }
  }
  return fallback;
}

/** The tooltip ECharts shows inside the chart's box, if it is shown. */
function tooltipOf(el: Element): { text: string; elements: string[] } | null {
  const tip = [...el.querySelectorAll<HTMLElement>(':scope > div')].find((d) => d.style.zIndex === '9999999');
  if (!tip || tip.style.display === 'none' || tip.style.visibility === 'hidden' || Number(tip.style.opacity || '1') === 0 || !tip.textContent?.trim()) return null;
  const elements = [...tip.querySelectorAll('img, script, iframe, object, embed, svg, video, audio, a, form, input')].map((e) => e.tagName.toLowerCase());
  return { text: tip.textContent ?? '', elements };
}

