// The pieces of the registers' forms (a catalog entry, a Resolution 57 item's change and report):
// labelled controls with their hints and error lines, the form the page checks itself before
// sending, the field a server problem names, and the choice of a unit of the province.

import type { ApiError, Unit } from '../api';
import { h } from '../dom';
import type { Control } from '../forms';
import { t } from '../i18n';
import { byName } from '../units';

export interface Slot {
  wrap: HTMLElement;
  control: Control;
  label: HTMLElement;
  error: HTMLElement;
  hint?: HTMLElement;
}

/** A form's labelled controls with their hints and error lines; error lines' test ids are `${prefix}-error-${field}` (`error-${field}` without a prefix). */
export function formSlots(prefix = '') {
  const slots = new Map<string, Slot>();
  return {
    slots,
    slot(field: string, label: string, control: Control, hint?: string, required = false): HTMLElement {
      const errorId = `${control.id}-error`;
      const hintId = `${control.id}-hint`;
      const labelEl = h('label', { for: control.id }, label, required && h('span', { class: 'req', 'aria-hidden': 'true' }, ' *'));
      const hintEl = hint ? h('p', { class: 'hint', id: hintId }, hint) : undefined;
      const error = h('p', { class: 'field-error', id: errorId, hidden: true, 'data-testid': `${prefix ? `${prefix}-` : ''}error-${field}` });
      const wrap = h('div', { class: 'field', 'data-field': field }, labelEl, control, hintEl, error);
      control.setAttribute('aria-describedby', [hintEl && hintId, errorId].filter(Boolean).join(' '));
      if (required) control.setAttribute('aria-required', 'true');
      slots.set(field, { wrap, control, label: labelEl, error, hint: hintEl });
      return wrap;
    },
    clear(): void {
      for (const sl of slots.values()) {
        sl.error.hidden = true;
        sl.error.textContent = '';
        sl.wrap.classList.remove('invalid');
        sl.control.removeAttribute('aria-invalid');
      }
    },
    /** Shows `message` at `field`; false when the form has no such field. */
    error(field: string, message: string): boolean {
      const sl = slots.get(field);
      if (!sl) return false;
      sl.error.textContent = message;
      sl.error.hidden = false;
      sl.wrap.classList.add('invalid');
      sl.control.setAttribute('aria-invalid', 'true');
      return true;
    },
    focusFirst(): void {
      for (const sl of slots.values()) {
        if (!sl.error.hidden) {
          sl.control.focus();
          return;
        }
      }
    },
  };
}

/** What a form holds: nodes, texts, and parts left out (false, null). */
export type FormChild = Node | string | false | null | undefined | (Node | false)[];

/** A form the page checks itself (the browser's own checks are off): submitting it calls `onSubmit`. */
export function checkedForm(attrs: { class: string; testid: string }, onSubmit: () => void, ...children: FormChild[]): HTMLFormElement {
  return h(
    'form',
    {
      class: attrs.class,
      novalidate: true,
      'data-testid': attrs.testid,
      onsubmit: (e: Event) => {
        e.preventDefault();
        onSubmit();
      },
    },
    ...children,
  );
}

/** A server problem's field ("percent: must be 0..100") and its text, or only the text. */
export function problemField(err: ApiError): { field?: string; text: string } {
  const m = /^([a-z_]+): ([\s\S]*)$/.exec(err.detail);
  return m ? { field: m[1], text: m[2] } : { text: err.detail };
}

/**
 * The units of the province to choose from: the province, its departments and agencies, its
 * communes and wards; `current` first when it is none of them (a unit that no longer exists).
 */
export function unitOptions(province: Unit, units: Unit[], current?: { code: string; name: string }): (HTMLElement | false)[] {
  const agencies = units.filter((u) => u.level === 'agency').sort(byName);
  const communes = units.filter((u) => u.level !== 'agency').sort(byName);
  const option = (u: { code: string; name: string }) => h('option', { value: u.code }, `${u.name} (${u.code})`);
  const known = new Set([province.code, ...units.map((u) => u.code)]);
  return [
    !!current && !known.has(current.code) && option(current),
    option(province),
    h('optgroup', { label: t('units.groupAgencies') }, agencies.map(option)),
    h('optgroup', { label: t('units.groupCommunes') }, communes.map(option)),
  ];
}
