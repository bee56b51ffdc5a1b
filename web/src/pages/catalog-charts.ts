// The catalog's charts need two ECharts parts the other pages do not: line series (monthly
// progress) and legends (stacked bars). They are registered here, so only the pages that use
// them pull them in; the chart itself is the app's (resizing, disposal, palette, aria).

import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { LegendComponent } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { AriaComponentOption, GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { chart, type ChartOption } from '../charts';

echarts.use([LineChart, LegendComponent]);

export type CatalogChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | AriaComponentOption
>;

export interface CatalogChart {
  update(option: CatalogChartOption): void;
}

/** A chart in `el` (disposed when `signal` aborts) that also takes line series and a legend. */
export function catalogChart(el: HTMLElement, signal: AbortSignal): CatalogChart {
  const c = chart(el, signal);
  // charts.ts types its options for bar, pie and treemap; line and legend are registered above.
  return { update: (option) => c.update(option as ChartOption) };
}
