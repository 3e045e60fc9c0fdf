/** What the forms share: checks before any call to Cognito, the email prefill, Show/Hide. */
import { $, queryParam } from './dom.js';
import { flagField, watchFlags } from './field-error.js';
import { clearMessage, isBusy, showMessage } from './message.js';

export function validEmail(value) {
  return /^[^\s@]+@[^\s@]+$/.test(value);
}

/** Shows an error tied to input (aria-invalid, aria-describedby) and moves the focus there. */
export function showFieldError(input, message, code, hints = []) {
  const ids = showMessage('error', message, hints, code);
  flagField(input, ids);
  input.focus();
}

/**
 * Runs the checks in order; the first that fails is shown next to the form, tied to its field,
 * and its field gets the focus. Each check: {ok: boolean or function, input, message, code}.
 * True when every check passes.
 */
export function validate(checks) {
  for (const check of checks) {
    const ok = typeof check.ok === 'function' ? check.ok() : check.ok;
    if (!ok) {
      showFieldError(check.input, check.message, check.code);
      return false;
    }
  }
  return true;
}

/** The check the verify and sign-in forms share: an email shaped like one. */
export function registeredEmail(address, input) {
  return { ok: validEmail(address), input, code: 'InvalidEmail',
    message: 'Enter the email address you registered with.' };
}

/** Calls send() on submit, unless the form is still waiting for Cognito; clears the old
 * message and the fields it marked first. */
export function onSubmit(form, send) {
  watchFlags(form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (isBusy(form)) return;
    clearMessage();
    send();
  });
}

/** Fills the input from ?email= (a link from the page before); returns that email. */
export function prefillEmail(input) {
  const email = queryParam('email');
  if (input && email && !input.value) input.value = email;
  return email;
}

/** Every [data-reveal] button shows or hides the password in the input it names; its name
 * ("Show password" / "Hide password") follows its visible word. */
export function wireRevealButtons() {
  for (const button of document.querySelectorAll('[data-reveal]')) {
    const input = $(button.getAttribute('data-reveal'));
    const word = button.querySelector('.reveal-word') || button;
    if (!input) continue;
    button.addEventListener('click', () => {
      if (button.getAttribute('aria-disabled') === 'true') return;
      const show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      word.textContent = show ? 'Hide' : 'Show';
    });
  }
}
