/**
 * Cognito's refusals, in Cognito's words, and the kit's next step for each: which row of the
 * table in js/kit-words.js applies, with what values. No DOM here (ui/cognito-error.js shows it).
 */
import { WORDS } from '../kit-words.js';
import { config, text } from '../site-config.js';
import { listWords, missingRules, ruleFromMessage } from './password.js';

// The page's step, as the table of next steps names it.
const STEPS = { register: 'register', verify: 'confirm', signin: 'sign-in' };

export function errorCode(err) {
  return (err && (err.code || err.name)) || 'Error';
}

export function errorText(err) {
  const message = err && err.message ? String(err.message) : '';
  if (!message || /^\d+$/.test(message)) {
    // The SDK's fallback when the body had no JSON: the HTTP status as the message.
    return errorCode(err) + (message ? ` (HTTP ${message})` : '');
  }
  return message;
}

/** The table's words for code at step, else at any step, or ''. */
export function nextStepWords(step, code) {
  return WORDS.nextSteps[`${step} ${code}`] || WORDS.nextSteps[`* ${code}`] || '';
}

/** The field Cognito's validation message is about (InvalidParameterException), or ''. */
function fieldNamedIn(message) {
  if (/password/i.test(message)) return 'password';
  if (/code/i.test(message)) return 'code';
  if (/email|username/i.test(message)) return 'email';
  return '';
}

/**
 * What to tell the rider after err on page ('register' | 'verify' | 'signin' | 'ride'):
 * {words, values, field, oneLine, rail: [[step, 'is-done' | 'is-todo'], ...], missing, mailbox}.
 * field is the one that needs attention ('email' | 'password' | 'code' | ''); oneLine: the
 * words replace Cognito's (a request with no answer has none worth reading). The rail follows
 * what Cognito said (a rider who signs in has verified; one who is not confirmed has not);
 * missing are the password rules to mark.
 */
export function adviceFor(err, page, email, password) {
  const code = errorCode(err);
  const message = String((err && err.message) || '');
  let step = STEPS[page] || page;
  let key = code;
  const values = { email: text(email), endpoint: config.endpoint || '', region: config.region };
  const advice = {
    words: '', values, field: '', oneLine: false, rail: [], missing: null, mailbox: false,
  };
  switch (code) {
    case 'UserNotConfirmedException':
      advice.rail = [['register', 'is-done'], ['verify', 'is-todo']];
      break;
    case 'InvalidPasswordException': {
      const rules = missingRules(password);
      const named = ruleFromMessage(message);
      if (named && !rules.includes(named)) rules.unshift(named);
      advice.missing = rules;
      advice.field = 'password';
      values.rules = listWords(rules);
      if (!rules.length) key = `${code}.unknown-rule`;
      break;
    }
    case 'NotAuthorizedException':
      step = /CONFIRMED/.test(message) || page === 'verify' ? 'confirm' : 'sign-in';
      // A lockout has the same code as a wrong password; only Cognito's message tells
      // them apart (developer guide, lockout behavior: "Password attempts exceeded").
      if (/^Password attempts exceeded\.?$/.test(message.trim())) {
        key = `${code}.attempts-exceeded`;
      }
      if (step === 'sign-in') advice.field = 'password';
      break;
    case 'UserNotFoundException':
      advice.rail = [['register', 'is-todo'], ['verify', 'is-todo']];
      advice.field = 'email';
      break;
    case 'UsernameExistsException':
      advice.field = 'email';
      break;
    case 'InvalidParameterException':
      if (!/already confirmed/i.test(message)) {
        advice.field = fieldNamedIn(message);
        return advice;
      }
      step = 'confirm';
      break;
    case 'NetworkError':
      // config.js names the local mailbox only on the kit's embedded backend.
      if (config.mailboxUrl) key = `${code}.local`;
      else if (config.endpoint) key = `${code}.endpoint`;
      advice.oneLine = true;
      break;
    case 'CodeMismatchException':
    case 'ExpiredCodeException':
      advice.mailbox = code === 'CodeMismatchException';
      advice.field = 'code';
      break;
    default:
      break;
  }
  advice.words = nextStepWords(step, key);
  return advice;
}
