/** The page's progress rail (register, verify, sign in, ride). */
const RAIL_STEPS = ['register', 'verify', 'signin', 'ride'];

/** Show a step of the rail as 'is-done' or 'is-todo', from what Cognito just said (the page's
 * HTML is only the usual case: a rider who signs in has verified). */
export function setRailStep(step, state) {
  const items = document.querySelectorAll('.progress .progress-step');
  const item = items[RAIL_STEPS.indexOf(step)];
  if (!item || item.classList.contains('is-current')) return;
  item.classList.remove('is-done', 'is-todo');
  item.classList.add(state);
}
