/**
 * The user pool js/config.js names, through the Amazon Cognito Identity SDK (a classic script,
 * js/vendor/amazon-cognito-identity.min.js, that leaves the global AmazonCognitoIdentity).
 */
import { config, text } from '../site-config.js';

export const SDK_PATH = 'js/vendor/amazon-cognito-identity.min.js';

/** {ok: true, pool} or {ok: false, reason, detail}: can this page talk to a user pool? */
export function checkSetup(cfg, sdk = window.AmazonCognitoIdentity) {
  if (!cfg.present) return { ok: false, reason: 'no-config' };
  if (!cfg.userPoolId || !cfg.clientId) return { ok: false, reason: 'no-pool' };
  if (typeof sdk === 'undefined') return { ok: false, reason: 'no-sdk' };
  const options = { UserPoolId: cfg.userPoolId, ClientId: cfg.clientId };
  if (cfg.endpoint) options.endpoint = cfg.endpoint;
  try {
    return { ok: true, pool: new sdk.CognitoUserPool(options) };
  } catch (e) {
    return { ok: false, reason: 'bad-pool', detail: (e && e.message) || String(e) };
  }
}

export const setup = checkSetup(config);

/** The SDK's classes (only once setup.ok). */
export function sdk() {
  return window.AmazonCognitoIdentity;
}

/** The Cognito username for an email: the rule the whole kit shares. */
export function usernameFromEmail(email) {
  return text(email).split('@').join('-at-');
}

export function requirePool() {
  if (!setup.ok) throw new Error('The site has no user pool configured (js/config.js).');
  return setup.pool;
}

export function cognitoUser(email) {
  return new (sdk().CognitoUser)({ Username: usernameFromEmail(email), Pool: requirePool() });
}

/** A promise for an SDK call that reports through callback(err, result). */
export function promised(call) {
  return new Promise((resolve, reject) => {
    call((err, result) => (err ? reject(err) : resolve(result)));
  });
}
