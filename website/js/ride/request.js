/**
 * The ride page's "Request a unicorn" button: module 3's call, made with the stored ID token.
 *
 * POST <api.invokeUrl>/ride with the raw ID token in the Authorization header (no "Bearer", as
 * module 3's ride.js sends it) and {"PickupLocation": {"Latitude", "Longitude"}}; a 201 brings
 * the unicorn and the rider the API read from the token. An expired token gets API Gateway's
 * 401 {"message": "The incoming token has expired"}: the SDK then trades the refresh token for
 * new tokens once and the request is made again; if that fails, the rider is asked to sign in.
 */
import { refreshedSession } from '../auth/session.js';
import { $, el } from '../ui/dom.js';

// Module 3's sample pickup: a point in Seattle.
export const PICKUP = { Latitude: 47.6174755835663, Longitude: -122.28837066650185 };
export const EXPIRED = 'The incoming token has expired';

/** The method's URL: api.invokeUrl (absolute, or relative to this page) + '/ride', or ''. */
export function rideUrl(invokeUrl) {
  try {
    const url = new URL(`${invokeUrl.replace(/\/+$/, '')}/ride`, window.location.href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '';
  } catch (e) {
    return '';
  }
}

/** One POST /ride: resolves {status, body} (body {} when the answer is not JSON). */
export async function requestUnicorn(url, idToken, pickup = PICKUP) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { Authorization: idToken, 'Content-Type': 'application/json' },
    body: JSON.stringify({ PickupLocation: pickup }),
  });
  let body = {};
  try {
    body = await response.json();
  } catch (e) {
    body = {};
  }
  return { status: response.status, body };
}

function show(kind, lines) {
  const area = $('rideResult');
  area.replaceChildren(...lines.map((line) => el('p', `ride-${kind}`, line)));
  area.hidden = false;
}

function arriving(body, note) {
  const unicorn = body.Unicorn || {};
  show('arriving', [
    ...(note ? [note] : []),
    `${unicorn.Name} (${unicorn.Color}, ${unicorn.Gender}) is on the way for ${body.Rider}.`,
    `ETA ${body.Eta}. Ride ${body.RideId}.`,
  ]);
  $('rideResult').setAttribute('data-unicorn', unicorn.Name || '');
}

function refused(answer) {
  show('refused', [
    `The ride API refused the request: ${answer.status} ${JSON.stringify(answer.body)}.`,
  ]);
  $('rideResult').setAttribute('data-status', String(answer.status));
}

/**
 * Wires #requestUnicorn: currentToken() -> POST /ride -> the unicorn, or why not; a session
 * renewed after an expired-token 401 is handed to onRenewed({user, session}).
 */
export function wireRequest(invokeUrl, currentToken, onRenewed) {
  const button = $('requestUnicorn');
  const url = rideUrl(invokeUrl);
  if (!button || !url) return;
  button.hidden = false;
  button.addEventListener('click', async () => {
    button.disabled = true;
    $('rideResult').removeAttribute('data-unicorn');
    $('rideResult').removeAttribute('data-status');
    show('waiting', ['Requesting a unicorn…']);
    try {
      let answer = await requestUnicorn(url, currentToken());
      let note = '';
      if (answer.status === 401 && answer.body.message === EXPIRED) {
        show('waiting', [`${EXPIRED}: asking Cognito for new tokens with the refresh token…`]);
        const renewed = await refreshedSession();
        if (!renewed) {
          show('refused', [
            `${EXPIRED}, and the session could not be renewed. Sign in again to ride.`,
          ]);
          $('rideResult').setAttribute('data-status', 'sign-in-again');
          $('rideResult').appendChild(el('a', 'button button-secondary', 'Sign in again'));
          $('rideResult').lastChild.setAttribute('href', 'signin.html');
          return;
        }
        const token = renewed.session.getIdToken().getJwtToken();
        onRenewed(renewed);
        note = `Your token had expired (${answer.status} "${EXPIRED}"); the SDK renewed it.`;
        answer = await requestUnicorn(url, token);
      }
      if (answer.status === 201) arriving(answer.body, note);
      else refused(answer);
    } catch (e) {
      show('refused', [`The ride API at ${url} could not be reached (${e.message}).`]);
      $('rideResult').setAttribute('data-status', 'unreachable');
    } finally {
      button.disabled = false;
    }
  });
}
