/** The register page's password checklist (#passwordChecklist): ticks as the rider types. */
import { passwordChecks } from '../auth/password.js';
import { $ } from './dom.js';

export function markMissingRules(rules) {
  const list = $('passwordChecklist');
  if (!list) return;
  for (const item of list.querySelectorAll('[data-rule]')) {
    item.classList.toggle('missing', rules.includes(item.getAttribute('data-rule')));
  }
}

export function updateChecklist(password) {
  const list = $('passwordChecklist');
  if (!list) return;
  const checks = passwordChecks(password);
  for (const item of list.querySelectorAll('[data-rule]')) {
    const met = !!checks[item.getAttribute('data-rule')];
    item.classList.toggle('met', met);
    item.setAttribute('data-met', met ? 'true' : 'false');
    if (met) item.classList.remove('missing');
    const state = item.querySelector('.rule-state');
    if (state) state.textContent = met ? 'done' : 'not yet';
  }
}
