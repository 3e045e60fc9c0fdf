/** The message area under a form (#formMessage), and a form's busy state. */
import { $, el } from './dom.js';

export function messageArea() {
  return $('formMessage');
}

export function clearMessage() {
  const area = messageArea();
  if (area) area.replaceChildren();
}

/**
 * Shows a message next to the form. kind: 'error' | 'success' | 'info'.
 * Errors go in .form-error (the words alone); hints follow in .form-hint.
 */
export function showMessage(kind, message, hints = [], code = '') {
  const area = messageArea();
  if (!area) return;
  area.replaceChildren();
  const box = el('div', `form-${kind}`, message);
  if (kind === 'error') {
    box.setAttribute('role', 'alert');
    if (code) box.setAttribute('data-error-code', code);
  }
  area.appendChild(box);
  for (const hint of hints) area.appendChild(hint);
}

export function setBusy(form, busy, label) {
  const button = form.querySelector('button[type="submit"]');
  form.setAttribute('aria-busy', busy ? 'true' : 'false');
  for (const control of form.elements) control.disabled = busy;
  if (!button) return;
  if (busy) {
    button.setAttribute('data-label', button.textContent);
    button.textContent = label;
  } else if (button.getAttribute('data-label')) {
    button.textContent = button.getAttribute('data-label');
  }
}
