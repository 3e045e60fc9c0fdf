/**
 * ride.html. No valid session -> signin.html. Otherwise it shows the ID token (#authToken), a
 * copy button, the token's claims decoded for display (#claimsTable), the API state
 * (#apiNotice while api.invokeUrl is empty) and a sign-out button.
 */
import { currentSession, signOut } from '../auth/session.js';
import { describeExpiry, decodePayload, fillClaims } from '../ride/claims.js';
import { wireCopy } from '../ride/copy.js';
import { config } from '../site-config.js';
import { $ } from '../ui/dom.js';
import { setFlash } from '../ui/flash.js';
import { showMessage } from '../ui/message.js';
import { startPage } from './start.js';

function wireSignOut() {
  const button = $('signOut');
  button.addEventListener('click', () => {
    button.disabled = true;
    signOut().then(() => {
      setFlash('signedOut');
      window.location.href = 'signin.html';
    });
  });
}

function showApiState() {
  if (config.invokeUrl) {
    $('apiUrl').textContent = config.invokeUrl;
    $('apiReady').hidden = false;
  } else {
    $('apiNotice').hidden = false;
  }
}

function render(found) {
  const token = found.session.getIdToken().getJwtToken();
  $('authToken').textContent = token;
  showApiState();
  wireCopy(token);
  wireSignOut();
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
  $('sessionStatus').hidden = true;
  $('rideContent').hidden = false;
  document.body.classList.add('has-session');
}

startPage((setup) => {
  if (!setup.ok) {
    // startPage shows #configNotice; there is no session to look for.
    $('sessionStatus').hidden = true;
    return;
  }
  currentSession().then((found) => {
    if (!found) {
      setFlash('signInRequired');
      window.location.replace('signin.html');
      return;
    }
    render(found);
  });
});
