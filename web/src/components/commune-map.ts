// The map of the communes: each commune an area coloured by its value (a colour scale under the
// map), its name and value on hover, a click leads to it. The areas are the boundaries an
// administrator loaded (GET /api/v1/boundaries); until then they are approximated from the
// communes' centres (map-areas.ts), and the map says so in a line above it.

import * as echarts from 'echarts/core';
import { MapChart } from 'echarts/charts';
import { VisualMapContinuousComponent } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { MapSeriesOption } from 'echarts/charts';
import type { TooltipComponentOption, VisualMapComponentOption } from 'echarts/components';
import { api, type BoundaryFeature } from '../api';
import { chart, type ChartOption } from '../charts';
import { escapeHtml, h } from '../dom';
import { t } from '../i18n';
import { approximateAreas } from '../map-areas';
import { showError } from '../shell';

echarts.use([MapChart, VisualMapContinuousComponent]);

type MapOption = ComposeOption<MapSeriesOption | TooltipComponentOption | VisualMapComponentOption>;

export interface MapItem {
  code: string;
  name: string;
  lat: number | null;
  lon: number | null;
  value: number | null;
}

export interface CommuneMap {
  /** The note on where the areas come from, and the chart. */
  el: HTMLElement;
  /** Draws the items (the units that have an area or a centre); the rest are left out. */
  show(items: MapItem[]): void;
}

export interface CommuneMapOptions {
  testid: string;
  /** A value the reader's way. */
  fmt: (v: number | null) => string;
  /** The colours from the lowest value to the highest. */
  colours: string[];
  onClick: (code: string) => void;
}

let loadedAreas: Promise<{ features: BoundaryFeature[]; loaded: boolean }> | null = null;

/** The loaded boundaries, asked for once per page load (an upload reloads them). */
function boundaries(): Promise<{ features: BoundaryFeature[]; loaded: boolean }> {
  loadedAreas ??= api.boundaries().then(
    (b) => ({ features: b.loaded ? b.features : [], loaded: b.loaded }),
    (err) => {
      loadedAreas = null;
      throw err;
    },
  );
  return loadedAreas;
}

/** Forgets the boundaries read, after an administrator loaded new ones. */
export function forgetBoundaries(): void {
  loadedAreas = null;
}

let mapSeq = 0;

/** Every position of the features, for their extent. */
function positions(features: BoundaryFeature[]): number[][] {
  return features.flatMap((f) => (f.geometry.type === 'Polygon' ? f.geometry.coordinates.flat() : f.geometry.coordinates.flat(2)));
}

export function communeMap(signal: AbortSignal, o: CommuneMapOptions): CommuneMap {
  const note = h('p', { class: 'muted small map-note', 'data-testid': `${o.testid}-source` });
  const box = h('div', { class: 'chart ioc-map', 'data-testid': o.testid });
  const el = h('div', { class: 'commune-map' }, note, box);
  const c = chart(box, signal);
  c.onClick(o.onClick);
  const name = `pdh-communes-${++mapSeq}`;
  let wanted = 0;

  function draw(items: MapItem[], loaded: BoundaryFeature[], isLoaded: boolean): void {
    const byCode = new Map(items.map((i) => [i.code, i]));
    // Loaded boundaries of the shown units; approximate areas when none of them has one.
    let features = loaded.filter((f) => byCode.has(f.properties.code));
    const approximate = features.length === 0;
    if (approximate) {
      features = approximateAreas(items.filter((i) => i.lat != null && i.lon != null).map((i) => ({ code: i.code, name: i.name, lat: i.lat!, lon: i.lon! })));
    }
    box.dataset.areas = String(features.length);
    box.dataset.approximate = String(approximate);
    note.dataset.approximate = String(approximate);
    note.textContent = approximate ? t('map.approximate') : isLoaded ? t('map.loaded') : '';
    if (features.length === 0) return;
    echarts.registerMap(name, { type: 'FeatureCollection', features } as unknown as Parameters<typeof echarts.registerMap>[1]);
    const names = new Map(features.map((f) => [f.properties.code, f.properties.name]));

    // The map keeps its shape: as tall as the province is for its width (within limits).
    const xy = positions(features);
    const lons = xy.map((p) => p[0]);
    const lats = xy.map((p) => p[1]);
    const [lonMin, lonMax, latMin, latMax] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
    const stretch = Math.cos((((latMin + latMax) / 2) * Math.PI) / 180);
    const width = box.clientWidth || 600;
    const ratio = (latMax - latMin) / Math.max(1e-6, (lonMax - lonMin) * stretch);
    box.style.height = `${Math.round(Math.min(640, Math.max(320, width * ratio + 64)))}px`;

    const known = items.map((i) => i.value).filter((v): v is number => v != null);
    const [min, max] = known.length ? [Math.min(...known), Math.max(...known)] : [0, 1];
    const option: MapOption = {
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const d = (p as { data?: { code?: string; value?: number | null }; name?: string }).data;
          const code = d?.code ?? (p as { name?: string }).name ?? '';
          const item = byCode.get(code);
          const label = item?.name ?? names.get(code) ?? code;
          return `${escapeHtml(label)}<br><strong>${escapeHtml(o.fmt(item?.value ?? null))}</strong>`;
        },
      },
      visualMap: {
        type: 'continuous',
        seriesIndex: 0,
        min,
        max: max > min ? max : min + 1,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 180,
        calculable: false,
        text: [o.fmt(known.length ? max : null), o.fmt(known.length ? min : null)],
        inRange: { color: o.colours },
        outOfRange: { color: '#c5ced8' },
      },
      series: [
        {
          type: 'map',
          name: t('ioc.indicator.map'),
          map: name,
          nameProperty: 'code',
          aspectScale: stretch,
          left: 8,
          right: 8,
          top: 8,
          bottom: 56,
          roam: false,
          selectedMode: false,
          label: { show: false },
          itemStyle: { areaColor: '#e3e8ee', borderColor: '#ffffff', borderWidth: 0.8 },
          emphasis: { label: { show: false }, itemStyle: { areaColor: '#ffd666', borderColor: '#0b2545', borderWidth: 1.2 } },
          data: items.filter((i) => names.has(i.code)).map((i) => ({ name: i.code, code: i.code, value: i.value ?? undefined })),
        },
      ],
    };
    c.update(option as unknown as ChartOption);
  }

  return {
    el,
    show(items) {
      const mine = ++wanted;
      boundaries()
        .then(({ features, loaded }) => {
          if (!signal.aborted && mine === wanted) draw(items, features, loaded);
        })
        .catch((err) => {
          if (signal.aborted || mine !== wanted) return;
          showError(err);
          draw(items, [], false);
        });
    },
  };
}
