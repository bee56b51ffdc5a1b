// The facts of a register's record (a catalog entry, a Resolution 57 item): each field's label and
// value in a definition list, short ones in a grid and long ones full width, in a panel.

import { h } from '../dom';
import { t } from '../i18n';

type Value = Node | string | false | null;

/** One fact: its label and value; `field` names it for the tests and the styles. */
export function fact(label: string, field: string, ...value: Value[]): HTMLElement {
  return h('div', { class: 'fact', 'data-field': field }, h('dt', {}, label), h('dd', {}, ...value));
}

/** A text, or the sign for none when it is empty. */
export const textOrNone = (s: string | null | undefined): string => (s && s.trim() ? s : t('state.none'));

/** The facts panel (`${id}-facts`, headed `${id}-facts-h`): the short facts, then the long ones full width. */
export function factsPanel(id: string, title: string, short: (HTMLElement | false | null | '' | undefined)[], long: HTMLElement[]): HTMLElement {
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': `${id}-facts-h` },
    h('h2', { id: `${id}-facts-h` }, title),
    h('dl', { class: 'facts', 'data-testid': `${id}-facts` }, short),
    h('dl', { class: 'facts facts-wide' }, long),
  );
}
