// The communes' areas when no boundaries have been loaded: each commune gets the points nearer to
// its centre than to any other commune's (its Voronoi cell), cut to an outline of the province —
// the convex hull of the centres widened by a margin. The areas are an approximation and the map
// says so. Computed in a plane where a degree of longitude is as long as it is at the province's
// latitude, so that "nearer" means nearer on the ground.

import type { BoundaryFeature } from './api';

export interface Centre {
  code: string;
  name: string;
  lat: number;
  lon: number;
}

type XY = [number, number];

const cross = (o: XY, a: XY, b: XY) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** The convex hull, counter-clockwise (Andrew's monotone chain). */
export function convexHull(points: XY[]): XY[] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const lower: XY[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: XY[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], q) <= 0) upper.pop();
    upper.push(q);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/**
 * The part of a convex polygon nearer to `site` than to `other` (Sutherland–Hodgman against the
 * half-plane on `site`'s side of their perpendicular bisector).
 */
function nearerTo(poly: XY[], site: XY, other: XY): XY[] {
  const n: XY = [other[0] - site[0], other[1] - site[1]];
  const c = (n[0] * (site[0] + other[0])) / 2 + (n[1] * (site[1] + other[1])) / 2;
  const side = (p: XY) => n[0] * p[0] + n[1] * p[1] - c; // ≤ 0: nearer to the site
  const out: XY[] = [];
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i];
    const b = poly[(i + 1) % poly.length];
    const sa = side(a);
    const sb = side(b);
    if (sa <= 0) out.push(a);
    if ((sa < 0 && sb > 0) || (sa > 0 && sb < 0)) {
      const k = sa / (sa - sb);
      out.push([a[0] + k * (b[0] - a[0]), a[1] + k * (b[1] - a[1])]);
    }
  }
  return out;
}

const distance = (a: XY, b: XY) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** The median distance from a centre to its nearest neighbour (the size of a typical area). */
function typicalSpacing(points: XY[]): number {
  const nearest = points
    .map((p, i) => Math.min(...points.map((q, j) => (i === j ? Infinity : distance(p, q)))))
    .filter((d) => Number.isFinite(d) && d > 0)
    .sort((a, b) => a - b);
  return nearest.length ? nearest[Math.floor(nearest.length / 2)] : 0.05;
}

/** The outline: the hull of the centres widened by `margin` all round (a rounded hull). */
function outline(points: XY[], margin: number): XY[] {
  const ring = convexHull(points);
  const around: XY[] = [];
  const steps = 16;
  for (const [x, y] of ring) {
    for (let k = 0; k < steps; k++) {
      const a = (2 * Math.PI * k) / steps;
      around.push([x + margin * Math.cos(a), y + margin * Math.sin(a)]);
    }
  }
  return convexHull(around);
}

/**
 * Areas approximated from the centres, as GeoJSON features (properties: code and name), one per
 * centre; centres at the same place share their area.
 */
export function approximateAreas(centres: Centre[]): BoundaryFeature[] {
  if (centres.length === 0) return [];
  const lat0 = centres.reduce((s, c) => s + c.lat, 0) / centres.length;
  const kx = Math.cos((lat0 * Math.PI) / 180);
  const points: XY[] = centres.map((c) => [c.lon * kx, c.lat]);
  const spacing = typicalSpacing(points);
  const frame = outline(points, spacing * 0.6);
  // Only neighbours within reach can cut a cell; the rest are skipped for speed.
  const reach = Math.max(...frame.map((p) => Math.max(...frame.map((q) => distance(p, q)))));
  return centres.map((c, i) => {
    let cell = frame;
    const site = points[i];
    const others = points
      .map((p, j) => ({ p, j, d: distance(site, p) }))
      .filter(({ j, d }) => j !== i && d > 0 && d <= reach)
      .sort((a, b) => a.d - b.d);
    for (const { p } of others) {
      // A neighbour more than twice as far as the cell's farthest corner cannot cut it any more.
      const far = Math.max(...cell.map((q) => distance(site, q)));
      if (distance(site, p) > 2 * far) break;
      cell = nearerTo(cell, site, p);
      if (cell.length < 3) break;
    }
    const ring = cell.map(([x, y]): number[] => [round(x / kx), round(y)]);
    if (ring.length > 0) ring.push(ring[0]);
    return { type: 'Feature', properties: { code: c.code, name: c.name }, geometry: { type: 'Polygon', coordinates: [ring] } };
  });
}

const round = (v: number) => Math.round(v * 1e5) / 1e5;
