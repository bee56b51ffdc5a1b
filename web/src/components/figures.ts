// The pieces of the registers' figures pages (the catalog's report, the Resolution 57 board): a
// translated sentence with numbers the tests can find, those numbers, and the stat cards.

import { h } from '../dom';
import { fmtInt, t, type Key } from '../i18n';

/** A translated sentence whose {placeholders} become the given nodes (numbers the tests can find). */
export function sentence(key: Key, parts: Record<string, Node | string>): (Node | string)[] {
  return t(key)
    .split(/(\{\w+\})/)
    .filter(Boolean)
    .map((piece) => {
      const m = /^\{(\w+)\}$/.exec(piece);
      return m && m[1] in parts ? parts[m[1]] : piece;
    });
}

/** A whole number in bold, with its test id. */
export const num = (testid: string, n: number) => h('strong', { 'data-testid': testid }, fmtInt(n));

/** A figure's card: its label, the value, the details that are shown (false: left out), then `footer`. */
export function statCard(testid: string, label: string, value: (Node | string)[], details: ((Node | string)[] | false)[], footer?: Node) {
  return h(
    'section',
    { class: 'card stat', 'data-testid': testid, 'aria-label': label },
    h('h2', { class: 'stat-label' }, label),
    h('p', { class: 'stat-value', 'data-testid': `${testid}-value` }, value),
    details.filter((d): d is (Node | string)[] => !!d).map((d) => h('p', { class: 'stat-detail' }, d)),
    footer,
  );
}
