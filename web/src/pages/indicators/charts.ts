/**
 * The chart types the indicator pages add to the shared ECharts wrapper: radar (dimension
 * profiles of chosen units) and heat map (units × dimensions). Registered when a page that
 * draws them loads, so no other page carries them.
 */
import { HeatmapChart, RadarChart } from 'echarts/charts';
import { RadarComponent } from 'echarts/components';
import { useEcharts } from '../../components/Chart.tsx';

useEcharts([RadarChart, HeatmapChart, RadarComponent]);

export { Chart, type ChartOption } from '../../components/Chart.tsx';

/** A categorical palette that stays readable when printed in grey. */
export const PALETTE = ['#1677ff', '#fa8c16', '#52c41a', '#eb2f96', '#722ed1', '#13c2c2', '#fadb14', '#a0d911', '#2f54eb', '#f5222d'];
