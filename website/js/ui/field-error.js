/**
 * Errors tied to their fields: the field that needs attention gets aria-invalid="true" and
 * aria-describedby naming the message (and hints) under the form, so a screen reader reads
 * them with the field; both go when the rider changes the field or the form is sent again.
 */
const ADDED = 'data-described-by-message';

function describedBy(input) {
  return (input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
}

/** Clears what flagField added (the field's own descriptions stay). */
export function unflagField(input) {
  if (!input || !input.hasAttribute(ADDED)) return;
  const added = input.getAttribute(ADDED).split(' ');
  const left = describedBy(input).filter((id) => !added.includes(id));
  if (left.length) input.setAttribute('aria-describedby', left.join(' '));
  else input.removeAttribute('aria-describedby');
  input.removeAttribute('aria-invalid');
  input.removeAttribute(ADDED);
}

/** Marks input invalid and described by the elements with these ids. */
export function flagField(input, ids) {
  unflagField(input);
  const own = describedBy(input);
  const added = ids.filter((id) => !own.includes(id));
  input.setAttribute('aria-describedby', [...own, ...added].join(' '));
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute(ADDED, added.join(' '));
}

export function unflagAll(root = document) {
  for (const input of root.querySelectorAll(`[${ADDED}]`)) unflagField(input);
}

/** A flagged field is cleared as soon as the rider changes it. Capture phase: this runs before
 * the page's own input listeners, which may mark the field invalid again (Confirm password). */
export function watchFlags(form) {
  form.addEventListener('input', (event) => unflagField(event.target), true);
}
