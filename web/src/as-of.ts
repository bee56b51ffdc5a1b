// The one "as of" date of the whole app: chosen in the header, kept in the address as
// ?as_of=YYYY-MM-DD and carried by every in-app address; without one in the address it is the
// IOC's date the server names in /api/v1/info (the province's setting, else its today). Every page
// reads its figures, and every export names its file, as of this date.

export const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** Dates a person means (a half-typed year such as 0002 is not one). */
export function plausible(date: string): boolean {
  const year = Number(date.slice(0, 4));
  return year >= 2000 && year <= 2100;
}

/** Today's date in the browser's time zone, as YYYY-MM-DD. */
export function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

let ioc = '';
let serverDay = '';

/** Sets the IOC's date (from /api/v1/info) that stands when the address has none, and the server's today. */
export function setDefaultAsOf(date: string | null | undefined, today?: string | null): void {
  if (date && isoDate.test(date)) ioc = date;
  if (today && isoDate.test(today)) serverDay = today;
}

/** Today by the server's clock (the browser's until the server has said). */
export function serverToday(): string {
  return serverDay || localToday();
}

/** The IOC's date: the server's, or the browser's today until the server has named it. */
export function defaultAsOf(): string {
  return ioc || localToday();
}

/** The as-of date in the address (?as_of=), when it is a real one; otherwise "". */
export function asOfFromAddress(): string {
  const v = new URLSearchParams(location.search).get('as_of') ?? '';
  return isoDate.test(v) && plausible(v) ? v : '';
}

/** The date every page shows: the address's, else the IOC's. */
export function currentAsOf(): string {
  return asOfFromAddress() || defaultAsOf();
}

/**
 * An in-app address with the address's as-of date added when it has none of its own (addresses
 * elsewhere, of the API, and in-page anchors are left as they are).
 */
export function withAsOf(href: string): string {
  const asOf = asOfFromAddress();
  if (!asOf || !href.startsWith('/') || href.startsWith('//') || href.startsWith('/api/')) return href;
  const hashAt = href.indexOf('#');
  const hash = hashAt >= 0 ? href.slice(hashAt) : '';
  const rest = hashAt >= 0 ? href.slice(0, hashAt) : href;
  const queryAt = rest.indexOf('?');
  const path = queryAt >= 0 ? rest.slice(0, queryAt) : rest;
  const p = new URLSearchParams(queryAt >= 0 ? rest.slice(queryAt + 1) : '');
  if (p.has('as_of')) return href;
  p.set('as_of', asOf);
  return `${path}?${p}${hash}`;
}

/** The current address with `date` as its as-of date (the other parameters kept). */
export function addressAsOf(date: string): string {
  const p = new URLSearchParams(location.search);
  p.set('as_of', date);
  return `${location.pathname}?${p}${location.hash}`;
}
