// Form pieces shared by the sign-in, account and administration pages.

import { ApiError } from './api';
import { h, mount } from './dom';
import { t } from './i18n';
import { errorMessage } from './shell';

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** A labelled control with an optional hint under it. */
export function field(label: string, control: Control, hint?: string): HTMLElement {
  const hintId = hint ? `${control.id}-hint` : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: control.id }, label),
    control,
    hint && h('p', { class: 'hint', id: hintId }, hint),
  );
}

export function input(id: string, attrs: Record<string, string | number | boolean> = {}): HTMLInputElement {
  return h('input', { id, name: id, ...attrs });
}

/** A message area for a form: errors (role=alert) and confirmations (role=status). */
export function formMessage(testid: string) {
  const el = h('div', { class: 'form-message', 'data-testid': testid });
  return {
    el,
    error(err: unknown, text?: string) {
      el.dataset.code = err instanceof ApiError ? err.code : '';
      el.className = 'form-message error';
      mount(el, h('p', { role: 'alert' }, text ?? errorMessage(err)));
    },
    ok(text: string) {
      el.dataset.code = '';
      el.className = 'form-message ok';
      mount(el, h('p', { role: 'status' }, text));
    },
    clear() {
      el.dataset.code = '';
      el.className = 'form-message';
      el.replaceChildren();
    },
  };
}

/** Runs `fn` with the button disabled, so a slow request is not sent twice. */
export async function busy(button: HTMLButtonElement, fn: () => Promise<void>): Promise<void> {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** A button that copies `text()` to the clipboard and says so. */
export function copyButton(text: () => string, testid: string): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': testid }, t('form.copy'));
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text());
      button.textContent = t('form.copied');
    } catch {
      button.textContent = t('form.copyFailed');
    }
    setTimeout(() => (button.textContent = t('form.copy')), 2500);
  });
  return button;
}
