// A "?" beside something that needs a word of explanation (a light, a forecast, a score): its text
// shows on hover (title) and, once pressed, in the page under it, for touch screens and screen
// readers alike.

import { h } from '../dom';
import { t } from '../i18n';

let seq = 0;

/** The "?" and its explanation; `topic` names what it explains ("Giải thích: đèn trạng thái"). */
export function help(topic: string, text: string, testid?: string): HTMLElement {
  const id = `help-${++seq}`;
  const note = h('span', { id, class: 'help-text', role: 'note', hidden: true, 'data-testid': testid && `${testid}-text` }, text);
  const button = h(
    'button',
    { type: 'button', class: 'help-toggle', title: text, 'aria-label': t('help.label', { topic }), 'aria-expanded': 'false', 'aria-controls': id, 'data-testid': testid },
    '?',
  );
  button.addEventListener('click', () => {
    const open = note.hidden;
    note.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
  });
  return h('span', { class: 'help' }, button, note);
}

/** A short line that explains, always shown (where a "?" would be missed). */
export function helpLine(text: string, testid?: string): HTMLElement {
  return h('p', { class: 'help-line muted small', 'data-testid': testid }, h('span', { class: 'help-mark', 'aria-hidden': 'true' }, '?'), ' ', text);
}
