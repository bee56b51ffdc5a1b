// The register's charts: the app's chart (resizing, disposal, palette, aria) with the legends and
// line series the catalog registers, and clicks that lead to a filtered list (items carry a code).

import './catalog-charts'; // registers the legend and line parts
import type { CatalogChartOption } from './catalog-charts';
import { chart, type ChartOption } from '../charts';

export type TrackerChartOption = CatalogChartOption;

export interface TrackerChart {
  update(option: TrackerChartOption): void;
  onClick(fn: (code: string) => void): void;
}

export function trackerChart(el: HTMLElement, signal: AbortSignal): TrackerChart {
  const c = chart(el, signal);
  return {
    update: (option) => c.update(option as ChartOption),
    onClick: (fn) => c.onClick(fn),
  };
}
