// The editor of a consolidation project's definition, shared by "/link" (a new project) and
// "/link/:code" (a new version): the definition as formatted JSON in a textarea, a preview of
// sample rows of each source mapped by the definition as it stands in the textarea (nothing is
// saved), JSON that does not parse said under the textarea (with its line and column when the
// browser gives them) before anything is sent, and the server's refusals of a definition (an
// unknown field or operation, a column the source does not have, a newer version saved in the
// meantime) next to the editor with the server's message.

import { ApiError } from '../api';
import { h, mount } from '../dom';
import { busy, formMessage } from '../forms';
import { fmtInt, t } from '../i18n';
import { linkApi } from '../link-api';
import { previewView, showLinkError } from './link-common';

/** Where JSON.parse stopped, as line and column (from 1), when its message says. */
export function jsonErrorAt(text: string, message: string): { line: number; column: number } | null {
  // Firefox, and newer Chromium: "… at line 3 column 5 …" / "(line 3 column 5)".
  const lc = /line (\d+) column (\d+)/i.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  // Chromium: "… in JSON at position 123".
  const pos = /position (\d+)/i.exec(message);
  if (!pos) return null;
  const offset = Math.min(Number(pos[1]), text.length);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** The offset in `text` of a line and column (from 1). */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + column - 1);
}

/** Refusals of the definition itself go next to the editor; the rest (no right to write…) to the banner. */
function aboutTheDefinition(err: unknown): err is ApiError {
  return err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 403;
}

export interface DefinitionEditor {
  el: HTMLElement;
  textarea: HTMLTextAreaElement;
  /** The textarea's definition, with `extra` members set over it; null (and said why) when it does not parse. */
  read(extra?: Record<string, unknown>): Record<string, unknown> | null;
  /** Replaces the textarea's text with `definition`, formatted. */
  set(definition: unknown): void;
  /** Shows a failed save: the server's refusal next to the editor, anything else in the banner. */
  failed(err: unknown): void;
  /** The message next to the editor (the server's answer). */
  message: ReturnType<typeof formMessage>;
}

/**
 * The textarea, its parse message, the preview button and the preview, and the message of the
 * server's answer. `id` prefixes the elements' ids and test ids ("link-edit", "link-new");
 * `extra` gives members set over the textarea's definition before a preview (the new project's
 * code and title); `actions` go beside the preview button.
 */
export function definitionEditor(
  id: string,
  signal: AbortSignal,
  definition: unknown,
  options: { extra?: () => Record<string, unknown>; actions?: Node[] } = {},
): DefinitionEditor {
  const textarea = h('textarea', {
    id: `${id}-definition`,
    name: 'definition',
    class: 'definition-json',
    rows: 24,
    spellcheck: 'false',
    autocomplete: 'off',
    'aria-describedby': `${id}-definition-hint ${id}-parse`,
    'data-testid': `${id}-definition`,
  });
  const parse = h('p', { id: `${id}-parse`, class: 'field-error', role: 'alert', 'data-testid': `${id}-parse`, hidden: true });
  const wrap = h(
    'div',
    { class: 'field definition-field' },
    h('label', { for: textarea.id }, t('link.edit.definition')),
    textarea,
    h('p', { class: 'hint', id: `${id}-definition-hint` }, t('link.edit.hint')),
    parse,
  );
  const message = formMessage(`${id}-message`);
  const preview = h('div', { 'aria-live': 'polite', 'data-testid': `${id}-preview` });
  const previewButton = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': `${id}-preview-button` }, t('link.preview'));

  function clearParse(): void {
    parse.hidden = true;
    parse.replaceChildren();
    wrap.classList.remove('invalid');
    textarea.removeAttribute('aria-invalid');
  }

  function badJson(text: string): void {
    wrap.classList.add('invalid');
    textarea.setAttribute('aria-invalid', 'true');
    parse.hidden = false;
    mount(parse, text);
  }

  function read(extra: Record<string, unknown> = {}): Record<string, unknown> | null {
    clearParse();
    const text = textarea.value;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      const at = jsonErrorAt(text, detail);
      badJson(
        at
          ? t('link.edit.badJsonAt', { line: fmtInt(at.line), column: fmtInt(at.column), detail })
          : t('link.edit.badJson', { detail }),
      );
      parse.dataset.line = at ? String(at.line) : '';
      parse.dataset.column = at ? String(at.column) : '';
      if (at) {
        // The caret where the parser stopped, so the mistake is one keystroke away.
        const offset = offsetOf(text, at.line, at.column);
        textarea.setSelectionRange(offset, offset);
      }
      return null;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      badJson(t('link.edit.notObject'));
      return null;
    }
    return { ...(value as Record<string, unknown>), ...extra };
  }

  function failed(err: unknown): void {
    if (!aboutTheDefinition(err)) {
      message.clear();
      showLinkError(err);
      return;
    }
    message.error(err, err.code === 'link.version_conflict' ? `${err.detail} ${t('link.edit.conflictHint')}` : undefined);
  }

  previewButton.addEventListener('click', () => {
    message.clear();
    const def = read(options.extra?.());
    if (!def) {
      preview.replaceChildren();
      return;
    }
    void busy(previewButton, async () => {
      try {
        const pv = await linkApi.previewDefinition(def, 5);
        if (!signal.aborted) mount(preview, previewView(pv));
      } catch (err) {
        if (signal.aborted) return;
        preview.replaceChildren();
        failed(err);
      }
    });
  });
  textarea.addEventListener('input', () => {
    if (!parse.hidden) clearParse();
  });

  const set = (d: unknown) => {
    textarea.value = JSON.stringify(d, null, 2);
    clearParse();
  };
  set(definition);

  const el = h(
    'div',
    { class: 'stack definition-editor', 'data-testid': id },
    wrap,
    h('div', { class: 'page-actions definition-actions' }, previewButton, ...(options.actions ?? [])),
    message.el,
    preview,
  );
  return { el, textarea, read, set, failed, message };
}
