/** A Cognito refusal shown under the form: Cognito's words, then the kit's next step. */
import { adviceFor, errorCode, errorText } from '../auth/errors.js';
import { config } from '../site-config.js';
import { markMissingRules } from './checklist.js';
import { sentence, withEmail } from './dom.js';
import { flagField } from './field-error.js';
import { showMessage } from './message.js';
import { setRailStep } from './progress.js';

/** A link to the local mailbox as a hint paragraph, or null when the site has none. */
export function mailboxHint(prefix = 'Codes from the local backend land in ') {
  if (!config.mailboxUrl) return null;
  return sentence('form-hint', [prefix,
    { text: 'the local mailbox', href: config.mailboxUrl, external: true }, '.']);
}

/**
 * A row's words as parts for sentence(). "[text](page.html)" is a link (carrying the email to
 * verify and sign-in), "`x`" is code, and {name} is values[name].
 */
export function partsFromWords(words, email, values) {
  const fill = (piece) => piece.replace(/\{(\w+)\}/g, (all, name) => (
    name in values ? values[name] : all));
  const parts = [];
  for (const piece of words.split(/(\[[^\]]+\]\([^)]+\)|`[^`]+`)/)) {
    const link = /^\[([^\]]+)\]\(([^)]+)\)$/.exec(piece);
    const mark = /^`([^`]+)`$/.exec(piece);
    if (link) {
      const page = link[2];
      const carries = page === 'verify.html' || page === 'signin.html';
      parts.push({ text: fill(link[1]), href: carries ? withEmail(page, email) : page,
        id: carries ? page.replace('.html', 'Link') : null });
    } else if (mark) {
      parts.push({ code: fill(mark[1]) });
    } else if (piece) {
      parts.push(fill(piece));
    }
  }
  return parts;
}

/**
 * Shows err for page ('register' | 'verify' | 'signin' | 'ride'), marking the rail and the
 * checklist. fields: {email, password, code} inputs and the control that sent the request
 * (fallback). The field that needs attention is tied to the message and gets the focus;
 * otherwise the focus stays in the form, or goes back to the control that sent it.
 */
export function showCognitoError(err, page, email, password, fields = {}) {
  const advice = adviceFor(err, page, email, password);
  for (const [step, state] of advice.rail) setRailStep(step, state);
  if (advice.missing) markMissingRules(advice.missing);
  const words = advice.words ? partsFromWords(advice.words, email, advice.values) : [];
  const message = advice.oneLine && words.length ? words : errorText(err);
  const hints = advice.oneLine || !words.length ? [] : [sentence('form-hint', words)];
  if (advice.mailbox) hints.push(mailboxHint('On the local backend it is at the top of '));
  const ids = showMessage('error', message, hints.filter(Boolean), errorCode(err));
  const field = fields[advice.field];
  if (field) {
    flagField(field, ids);
    field.focus();
    return;
  }
  const form = fields.fallback && fields.fallback.form;
  const lost = !document.activeElement || document.activeElement === document.body;
  if (fields.fallback && (lost || (form && !form.contains(document.activeElement)))) {
    fields.fallback.focus();
  }
}
