// A unit picker: type part of a name (diacritics optional, "tan ninh" finds "Phường Tân Ninh")
// or a code, choose from the units API's matches. Single choice or several (shown as chips).

import { api, type Unit } from './api';
import { h, mount } from './dom';
import { t } from './i18n';

export interface UnitPicker {
  el: HTMLElement;
  /** The chosen unit codes. */
  values(): string[];
  clear(): void;
}

let pickers = 0;

/** `initial`: units chosen from the start (a filter read from the address), name or code. */
export function unitPicker(label: string, { multiple = false, hint = '', initial = [] as { code: string; name: string }[] } = {}): UnitPicker {
  const id = `unit-picker-${++pickers}`;
  const chosen = new Map<string, string>(initial.map((u) => [u.code, u.name || u.code]));
  const search = h('input', {
    id,
    type: 'search',
    role: 'combobox',
    autocomplete: 'off',
    placeholder: t('picker.placeholder'),
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': `${id}-list`,
    'data-testid': 'unit-picker-input',
  });
  const list = h('ul', { id: `${id}-list`, class: 'picker-list', role: 'listbox', hidden: true, 'aria-label': label });
  const chips = h('ul', { class: 'chips picker-chips', 'aria-live': 'polite' });
  let timer = 0;
  let seq = 0;

  function renderChips(): void {
    mount(
      chips,
      [...chosen].map(([code, name]) =>
        h(
          'li',
          { 'data-testid': 'unit-chip', 'data-code': code },
          `${name} (${code})`,
          h('button', { type: 'button', class: 'chip-remove', 'aria-label': t('picker.remove', { name }), onclick: () => (chosen.delete(code), renderChips()) }, '×'),
        ),
      ),
    );
  }

  function close(): void {
    list.hidden = true;
    search.setAttribute('aria-expanded', 'false');
  }

  function pick(u: Unit): void {
    if (!multiple) chosen.clear();
    chosen.set(u.code, u.name);
    search.value = '';
    close();
    renderChips();
  }

  async function lookup(q: string): Promise<void> {
    const mine = ++seq;
    const { items } = await api.searchUnits(q).catch(() => ({ items: [] as Unit[] }));
    if (mine !== seq) return;
    mount(
      list,
      items.length === 0
        ? h('li', { class: 'muted' }, t('picker.none'))
        : items.map((u) =>
            h(
              'li',
              {
                role: 'option',
                tabindex: -1,
                'data-code': u.code,
                'data-testid': 'unit-option',
                onclick: () => pick(u),
                onkeydown: (e: Event) => {
                  if ((e as KeyboardEvent).key !== 'Enter') return;
                  e.preventDefault();
                  pick(u);
                },
              },
              u.name,
              h('span', { class: 'muted' }, ` ${u.code}`),
            ),
          ),
    );
    list.hidden = false;
    search.setAttribute('aria-expanded', 'true');
  }

  search.addEventListener('input', () => {
    clearTimeout(timer);
    const q = search.value.trim();
    if (q.length < 2) return close();
    timer = window.setTimeout(() => void lookup(q), 200);
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') list.querySelector<HTMLElement>('[role="option"]')?.focus();
    if (e.key === 'Escape') close();
  });

  renderChips();
  const el = h(
    'div',
    { class: 'field picker' },
    h('label', { for: id }, label),
    search,
    list,
    hint && h('p', { class: 'hint' }, hint),
    chips,
  );
  return {
    el,
    values: () => [...chosen.keys()],
    clear() {
      chosen.clear();
      search.value = '';
      close();
      renderChips();
    },
  };
}
