/**
 * The password policy's rules, as the kit's words (js/kit-words.js, generated from the Python
 * package) state them: the length, the rules and the symbols (a space that is neither leading
 * nor trailing counts as a symbol too).
 */
import { WORDS } from '../kit-words.js';

export const RULE_WORDS = WORDS.rules;

/** {length, upper, lower, number, symbol}: which rules the password meets. */
export function passwordChecks(password) {
  const pw = String(password || '');
  const chars = Array.from(pw);
  const inner = chars.slice(1, -1).join('');
  return {
    length: chars.length >= WORDS.minimumLength,
    upper: /\p{Lu}/u.test(pw),
    lower: /\p{Ll}/u.test(pw),
    number: /\p{Nd}/u.test(pw),
    symbol: chars.some((c) => WORDS.symbols.includes(c)) || inner.includes(' '),
  };
}

export function missingRules(password) {
  const checks = passwordChecks(password);
  return Object.keys(checks).filter((rule) => !checks[rule]);
}

/** The rule a Cognito InvalidPasswordException message names, if any. */
export function ruleFromMessage(message) {
  const m = String(message || '');
  if (/long enough|length/i.test(m)) return 'length';
  if (/uppercase/i.test(m)) return 'upper';
  if (/lowercase/i.test(m)) return 'lower';
  if (/numeric|number/i.test(m)) return 'number';
  if (/symbol|special/i.test(m)) return 'symbol';
  return null;
}

/** "a, b and c" from rule keys. */
export function listWords(rules) {
  const words = rules.map((r) => RULE_WORDS[r]);
  return words.length > 1
    ? `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`
    : words.join('');
}
