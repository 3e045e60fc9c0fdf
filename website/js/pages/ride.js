/**
 * ride.html. No valid session -> signin.html. Otherwise it shows the ID token (#authToken), a
 * copy button, the token's claims decoded for display (#claimsTable), the API state
 * (#apiNotice while api.invokeUrl is empty; else #apiReady with "Request a unicorn", module 3's
 * call made with the ID token) and a sign-out button. When Cognito does not
 * answer (refreshing the session, or revoking it at sign-out) the page says so in one line
 * with the next step, instead of sending the rider to a sign-in page that may not load.
 */
import { adviceFor, errorCode } from '../auth/errors.js';
import { currentSession, signOut } from '../auth/session.js';
import { describeExpiry, decodePayload, fillClaims } from '../ride/claims.js';
import { wireCopy } from '../ride/copy.js';
import { wireRequest } from '../ride/request.js';
import { config } from '../site-config.js';
import { partsFromWords } from '../ui/cognito-error.js';
import { $ } from '../ui/dom.js';
import { setFlash } from '../ui/flash.js';
import { ERROR_ID, showMessage } from '../ui/message.js';
import { startPage } from './start.js';

/** No answer from Cognito, said in one line (after lead, if any); the focus goes to it. */
function showUnreachable(err, lead = '') {
  const advice = adviceFor(err, 'ride');
  const words = partsFromWords(advice.words, '', advice.values);
  showMessage('error', lead ? [lead, ...words] : words, [], errorCode(err));
  const box = $(ERROR_ID);
  box.tabIndex = -1;
  box.focus();
}

function wireSignOut() {
  const button = $('signOut');
  button.addEventListener('click', () => {
    button.disabled = true;
    signOut().then((err) => {
      if (err && errorCode(err) === 'NetworkError') {
        // The SDK has forgotten the session here; Cognito still honours its refresh token.
        $('rideContent').hidden = true;
        showUnreachable(err, 'You are signed out in this browser, but Cognito did not hear '
          + 'of it, so your refresh token still works until it expires. ');
        return;
      }
      setFlash('signedOut');
      window.location.href = 'signin.html';
    });
  });
}

function showApiState() {
  if (config.invokeUrl) {
    $('apiUrl').textContent = config.invokeUrl;
    $('apiReady').hidden = false;
    // The token on the page; a session the SDK renewed after an expired-token 401 replaces it.
    wireRequest(config.invokeUrl, () => shown.token, (renewed) => show(renewed));
  } else {
    $('apiNotice').hidden = false;
  }
}

let shown = { token: '', exp: 0 };  // the token on the page, and when it expires (ms)

/** The session's ID token, its rider and claims, on the page. */
function show(found) {
  const token = found.session.getIdToken().getJwtToken();
  shown = { token, exp: found.session.getIdToken().getExpiration() * 1000 };
  $('authToken').textContent = token;
  const username = found.user.getUsername();
  $('riderUsername').textContent = username;
  try {
    const claims = decodePayload(token);
    $('riderName').textContent = claims.email || username;
    fillClaims(claims);
    describeExpiry(claims);
  } catch (e) {
    $('riderName').textContent = username;
    showMessage('error', `The token could not be decoded for display: ${e.message}`);
  }
}

function render(found) {
  show(found);
  showApiState();
  wireCopy(() => shown.token);
  wireSignOut();
  $('sessionStatus').hidden = true;
  $('rideContent').hidden = false;
  document.body.classList.add('has-session');
  // Back to a tab left open (a laptop that slept): a token that has expired meanwhile is
  // refreshed, as at load, and the page says so if Cognito does not answer.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && Date.now() >= shown.exp) check(show);
  });
}

/** Looks for a (refreshed) session: found -> then(found); none -> sign-in; no answer -> say so. */
function check(then) {
  currentSession().then((found) => {
    if (!found) {
      setFlash('signInRequired');
      window.location.replace('signin.html');
      return;
    }
    then(found);
  }, (err) => {
    $('sessionStatus').hidden = true;
    $('rideContent').hidden = true;
    showUnreachable(err);
  });
}

startPage((setup) => {
  if (!setup.ok) {
    // startPage shows #configNotice; there is no session to look for.
    $('sessionStatus').hidden = true;
    return;
  }
  check(render);
});
