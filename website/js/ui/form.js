/** What the forms share: checks before any call to Cognito, the email prefill, Show/Hide. */
import { $, queryParam } from './dom.js';
import { showMessage } from './message.js';

export function validEmail(value) {
  return /^[^\s@]+@[^\s@]+$/.test(value);
}

/**
 * Runs the checks in order; the first that fails is shown next to the form and its field
 * gets the focus. Each check: {ok: boolean or function, input, message, code}.
 * True when every check passes.
 */
export function validate(checks) {
  for (const check of checks) {
    const ok = typeof check.ok === 'function' ? check.ok() : check.ok;
    if (!ok) {
      showMessage('error', check.message, [], check.code);
      check.input.focus();
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

/** Fills the input from ?email= (a link from the page before); returns that email. */
export function prefillEmail(input) {
  const email = queryParam('email');
  if (input && email && !input.value) input.value = email;
  return email;
}

/** Every [data-reveal] button shows or hides the password in the input it names. */
export function wireRevealButtons() {
  for (const button of document.querySelectorAll('[data-reveal]')) {
    const input = $(button.getAttribute('data-reveal'));
    if (!input) continue;
    button.addEventListener('click', () => {
      const show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      button.textContent = show ? 'Hide' : 'Show';
      button.setAttribute('aria-pressed', show ? 'true' : 'false');
    });
  }
}
