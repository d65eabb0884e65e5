/**
 * An Apache ECharts chart as a React component: the option in, clicks out, resized with its
 * box. Only the chart types and components the pages use are registered (tree-shaken from
 * 'echarts/core'), and this file is imported by lazy pages only, so the first page does not
 * carry ECharts. A page that needs more (the world map) registers it with `use` itself.
 *
 * Tooltips are HTML: a tooltip formatter function builds its markup with `html` from
 * ./escape.ts, which escapes every value (names are what users typed); any other string it
 * returns is shown as text (`escapeTooltips`, applied to every option here).
 */
import { BarChart, GraphChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { init, use, type ECharts, type EChartsCoreOption } from 'echarts/core';
import { LabelLayout } from 'echarts/features';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, type CSSProperties } from 'react';
import { escapeTooltips } from './escape.ts';

use([BarChart, LineChart, PieChart, GraphChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, MarkLineComponent, DataZoomComponent, VisualMapComponent, LabelLayout, CanvasRenderer]);

export { use as useEcharts };
export type { EChartsCoreOption as ChartOption };

/** What a click on a data item tells: its series, name, value and the data object given. */
export interface ChartClick {
  componentType: string;
  seriesType?: string;
  seriesName?: string;
  seriesIndex?: number;
  name: string;
  dataIndex: number;
  value: unknown;
  data: unknown;
  dataType?: string;
}

interface Props {
  option: EChartsCoreOption;
  height?: number | string;
  style?: CSSProperties;
  onClick?: (e: ChartClick) => void;
  'data-testid'?: string;
  'aria-label'?: string;
}

export function Chart({ option, height = 360, style, onClick, ...rest }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;

  useEffect(() => {
    const el = box.current!;
    const c = init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (e) => click.current?.(e as unknown as ChartClick));
    c.on('finished', () => el.setAttribute('data-rendered', 'true'));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    box.current?.removeAttribute('data-rendered');
    chart.current?.setOption(escapeTooltips(option), { notMerge: true });
  }, [option]);

  return <div ref={box} role="img" aria-label={rest['aria-label']} data-testid={rest['data-testid']} style={{ width: '100%', height, ...style }} />;
}
