/**
 * The notice (#configNotice) a page shows when it cannot talk to a user pool, and the forms it
 * disables then: no js/config.js, no pool in it, no SDK, or a pool id the SDK rejects.
 */
import { SDK_PATH } from '../auth/pool.js';
import { config } from '../site-config.js';
import { $, el, sentence } from './dom.js';

const REASONS = {
  'no-config': () => ['The site could not load ', { code: 'js/config.js' },
    ', so it does not know which Amazon Cognito user pool to use.'],
  'no-pool': () => [{ code: 'js/config.js' }, ' has no user pool yet: ',
    { code: 'cognito.userPoolId' }, ' and ', { code: 'cognito.userPoolClientId' },
    ' are empty, so there is nowhere to register or sign in.'],
  'no-sdk': () => [{ code: 'js/config.js' }, ' names a user pool, but the Amazon Cognito SDK (',
    { code: SDK_PATH }, ') did not load, so the forms cannot talk to it.'],
  'bad-pool': (detail) => [{ code: 'js/config.js' },
    ' has a user pool id the Cognito SDK rejects (', { code: config.userPoolId }, `): ${detail}`],
};

export function renderConfigNotice(setup) {
  const notice = $('configNotice');
  if (!notice) return;
  const inner = el('div', 'container config-notice-inner');
  inner.appendChild(el('span', 'config-notice-icon', '!'));
  const body = el('div', 'config-notice-body');
  body.appendChild(el('h2', 'config-notice-title', 'This site is not connected to a user pool yet'));
  body.appendChild(sentence('config-notice-reason', REASONS[setup.reason](setup.detail)));
  body.appendChild(sentence('config-notice-fix', [
    'To fix it, run ', { code: 'wildrydes up' }, ' (or notebook 03). It creates the user pool '
    + 'and its app client, writes their ids into ', { code: 'js/config.js' },
    ', uploads the site with the SDK, and then this page works after a reload.',
  ]));
  inner.appendChild(body);
  notice.replaceChildren(inner);
  notice.hidden = false;
  notice.setAttribute('data-reason', setup.reason);
  document.body.classList.add('is-unconfigured');
}

export function disableForms() {
  for (const form of document.querySelectorAll('form')) {
    form.classList.add('is-disabled');
    form.setAttribute('aria-disabled', 'true');
    for (const control of form.elements) control.disabled = true;
  }
  for (const control of document.querySelectorAll('[data-needs-pool]')) control.disabled = true;
}
