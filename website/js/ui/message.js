/** The message area under a form (#formMessage), and a form's busy state. */
import { $, appendParts, el } from './dom.js';
import { unflagAll } from './field-error.js';

export const ERROR_ID = 'formError';

export function messageArea() {
  return $('formMessage');
}

export function clearMessage() {
  const area = messageArea();
  if (area) area.replaceChildren();
  unflagAll();
}

/**
 * Shows a message next to the form. kind: 'error' | 'success' | 'info'; message: text, or
 * parts as sentence() takes them. Errors go in .form-error (#formError, role=alert); hints
 * follow in .form-hint paragraphs. Returns the ids of the error and its hints, for
 * aria-describedby.
 */
export function showMessage(kind, message, hints = [], code = '') {
  const area = messageArea();
  if (!area) return [];
  area.replaceChildren();
  const box = el('div', `form-${kind}`);
  appendParts(box, typeof message === 'string' ? [message] : message);
  const ids = [];
  if (kind === 'error') {
    box.id = ERROR_ID;
    box.setAttribute('role', 'alert');
    if (code) box.setAttribute('data-error-code', code);
    ids.push(ERROR_ID);
  }
  area.appendChild(box);
  hints.forEach((hint, i) => {
    if (kind === 'error') {
      hint.id = `formHint${i + 1}`;
      ids.push(hint.id);
    }
    area.appendChild(hint);
  });
  return ids;
}

export function isBusy(form) {
  return form.getAttribute('aria-busy') === 'true';
}

/**
 * While Cognito answers, the form can be neither changed nor sent again, yet every control
 * keeps its place in the tab order and the focus stays where the rider left it (a disabled
 * control would drop it to the page body): fields are read-only, buttons aria-disabled.
 */
export function setBusy(form, busy, label) {
  const button = form.querySelector('button[type="submit"]');
  form.setAttribute('aria-busy', busy ? 'true' : 'false');
  for (const control of form.elements) {
    if (control.tagName === 'BUTTON') {
      if (busy) control.setAttribute('aria-disabled', 'true');
      else control.removeAttribute('aria-disabled');
    } else {
      control.readOnly = busy;
    }
  }
  if (!button) return;
  if (busy) {
    button.setAttribute('data-label', button.textContent);
    button.textContent = label;
  } else if (button.getAttribute('data-label')) {
    button.textContent = button.getAttribute('data-label');
  }
}
