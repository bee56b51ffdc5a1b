// ECharts, limited to the parts the app uses, with charts that resize with their container,
// are disposed when their page goes away, and can be saved as a PNG image (a button under each).

import * as echarts from 'echarts/core';
import { BarChart, PieChart, TreemapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, AriaComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, PieSeriesOption, TreemapSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption, AriaComponentOption } from 'echarts/components';
import { h } from './dom';
import { download } from './export';
import { exportFileBase } from './components/table-export';
import { t } from './i18n';
import { showError } from './shell';

echarts.use([BarChart, PieChart, TreemapChart, GridComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export type ChartOption = ComposeOption<
  BarSeriesOption | PieSeriesOption | TreemapSeriesOption | GridComponentOption | TooltipComponentOption | AriaComponentOption
>;

// ECharts measures text itself, so it needs the real font stack (same as styles.css), not 'inherit'.
const fontFamily = "Inter, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, sans-serif";

/** The width charts are drawn at for print (A4 less its margins and the card's padding). */
const printWidth = 660;

export const palette = ['#0b5cad', '#14a38b', '#f5a300', '#d64550', '#7a5cc2', '#3d8fd1', '#8aa1b8'];

export interface Chart {
  update(option: ChartOption): void;
  /** Calls `fn` with the unit code of a clicked data item (items carry a `code`). */
  onClick(fn: (code: string) => void): void;
}

/**
 * The chart as a PNG at twice its size on white. The charts draw SVG, which ECharts hands out as
 * it is: drawn onto a canvas here.
 */
async function png(instance: echarts.ECharts): Promise<Blob> {
  const ratio = 2;
  const url = instance.getDataURL({ type: 'png', pixelRatio: ratio, backgroundColor: '#fff' });
  const img = new Image();
  img.src = url;
  await img.decode();
  const width = instance.getWidth();
  const height = instance.getHeight();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('png'))), 'image/png'));
}

/** The button under a chart that saves it as a PNG named after the page, the chart and the as-of date. */
function saveButton(el: HTMLElement, instance: echarts.ECharts): HTMLElement {
  const id = el.dataset.testid ?? 'chart';
  const button = h(
    'button',
    { type: 'button', class: 'button button-secondary button-small', title: t('chart.pngTitle'), 'data-testid': `${id}-png` },
    h('span', { 'aria-hidden': 'true' }, '⤓ '),
    t('chart.png'),
  );
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      download(await png(instance), `${exportFileBase(id)}.png`);
    } catch (err) {
      showError(err);
    } finally {
      button.disabled = false;
    }
  });
  return h('div', { class: 'chart-tools' }, button);
}

/**
 * Creates a chart in `el`; it is disposed when `signal` aborts (the page is left). `save: false`
 * leaves out the PNG button (for the small lines inside cards).
 */
export function chart(el: HTMLElement, signal: AbortSignal, { save = true } = {}): Chart {
  const instance = echarts.init(el, undefined, { renderer: 'svg' });
  const observer = new ResizeObserver(() => instance.resize());
  observer.observe(el);
  let tools: HTMLElement | null = null;
  // Printing lays the page out at the paper's width, after the page's scripts ran: the chart is
  // drawn at that width first (an A4 page holds about 660 px beside the margins), then back.
  const beforePrint = () => {
    if (instance.getWidth() > printWidth) instance.resize({ width: printWidth, animation: { duration: 0 } });
  };
  const afterPrint = () => instance.resize();
  window.addEventListener('beforeprint', beforePrint);
  window.addEventListener('afterprint', afterPrint);
  signal.addEventListener('abort', () => {
    observer.disconnect();
    window.removeEventListener('beforeprint', beforePrint);
    window.removeEventListener('afterprint', afterPrint);
    instance.dispose();
    tools?.remove();
  });
  // Under the chart once it is in the page (pages draw charts after mounting them).
  const placeTools = () => {
    if (!save || tools || !el.parentElement) return;
    tools = saveButton(el, instance);
    // A chart drawn again in the same place keeps one button.
    if (el.nextElementSibling?.classList.contains('chart-tools')) el.nextElementSibling.remove();
    el.after(tools);
  };
  placeTools();
  // A view box lets the drawing scale with its box (print sizes charts to the page's width).
  instance.on('finished', () => el.querySelector('svg')?.setAttribute('viewBox', `0 0 ${instance.getWidth()} ${instance.getHeight()}`));
  return {
    update(option) {
      placeTools();
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

