// ECharts, limited to the parts the app uses, with charts that resize with their container
// and are disposed when their page goes away.

import * as echarts from 'echarts/core';
import { BarChart, PieChart, TreemapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, AriaComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, PieSeriesOption, TreemapSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption, AriaComponentOption } from 'echarts/components';

echarts.use([BarChart, PieChart, TreemapChart, GridComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export type ChartOption = ComposeOption<
  BarSeriesOption | PieSeriesOption | TreemapSeriesOption | GridComponentOption | TooltipComponentOption | AriaComponentOption
>;

// ECharts measures text itself, so it needs the real font stack (same as styles.css), not 'inherit'.
const fontFamily = "Inter, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, sans-serif";

export const palette = ['#0b5cad', '#14a38b', '#f5a300', '#d64550', '#7a5cc2', '#3d8fd1', '#8aa1b8'];

export interface Chart {
  update(option: ChartOption): void;
  /** Calls `fn` with the unit code of a clicked data item (items carry a `code`). */
  onClick(fn: (code: string) => void): void;
}

/** Creates a chart in `el`; it is disposed when `signal` aborts (the page is left). */
export function chart(el: HTMLElement, signal: AbortSignal): Chart {
  const instance = echarts.init(el, undefined, { renderer: 'svg' });
  const observer = new ResizeObserver(() => instance.resize());
  observer.observe(el);
  signal.addEventListener('abort', () => {
    observer.disconnect();
    instance.dispose();
  });
  return {
    update(option) {
      instance.setOption(
        {
          color: palette,
          aria: { enabled: true },
          textStyle: { fontFamily },
          animationDuration: 400,
          ...option,
        },
        { notMerge: true },
      );
    },
    onClick(fn) {
      instance.on('click', (params) => {
        const code = (params.data as { code?: unknown } | undefined)?.code;
        if (typeof code === 'string') fn(code);
      });
    },
  };
}

