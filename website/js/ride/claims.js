/** The ID token's claims, decoded for display only (the API checks the signature), as a table. */
import { $, el } from '../ui/dom.js';

const TIME_CLAIMS = ['exp', 'iat', 'auth_time', 'nbf'];
const MEANINGS = {
  sub: 'Your user\u2019s unique, permanent id in this user pool',
  email: 'The email address on your account',
  email_verified: 'Whether the user pool counts the address as verified',
  'cognito:username': 'Your username (email with @ as -at-)',
  'cognito:groups': 'The user pool groups you belong to',
  iss: 'The user pool the token names as its issuer (the API checks it)',
  aud: 'The app client the token was issued to',
  token_use: '"id": a token about who you are',
  auth_time: 'When you signed in',
  iat: 'When this token was issued',
  exp: 'When this token expires',
  nbf: 'Not valid before this time',
  jti: 'This token\u2019s unique id',
  origin_jti: 'The id of the sign-in this token descends from',
  event_id: 'An id Cognito gives the sign-in event (not documented further)',
};

/** The JWT's payload as an object: base64url -> bytes -> UTF-8 -> JSON. Display only. */
export function decodePayload(token) {
  const parts = String(token).split('.');
  if (parts.length !== 3) throw new Error('The token is not a JWT (expected three parts).');
  let b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
  b64 += '===='.slice(0, (4 - (b64.length % 4)) % 4);
  const binary = window.atob(b64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder('utf-8').decode(bytes));
}

function formatTime(seconds) {
  return new Date(seconds * 1000).toLocaleString(undefined, {
    year: 'numeric', month: 'short', day: 'numeric',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
}

function formatValue(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One row per claim in #claimsTable: name, value (and time), meaning. */
export function fillClaims(claims) {
  const body = $('claimsTable').tBodies[0];
  body.replaceChildren();
  for (const [name, value] of Object.entries(claims)) {
    const row = document.createElement('tr');
    const th = el('th');
    th.scope = 'row';
    th.appendChild(el('code', null, name));
    row.appendChild(th);
    const td = el('td', 'claim-value');
    td.appendChild(el('span', 'claim-raw', formatValue(value)));
    if (TIME_CLAIMS.includes(name) && typeof value === 'number') {
      td.appendChild(el('span', 'claim-time', formatTime(value)));
    }
    row.appendChild(td);
    row.appendChild(el('td', 'claim-meaning', MEANINGS[name] || ''));
    row.setAttribute('data-claim', name);
    body.appendChild(row);
  }
}

/** "expires at 10:42 (in 59 minutes)" in #tokenExpiry. */
export function describeExpiry(claims) {
  const target = $('tokenExpiry');
  if (!target || typeof claims.exp !== 'number') return;
  const minutes = Math.round((claims.exp * 1000 - Date.now()) / 60000);
  const when = new Date(claims.exp * 1000).toLocaleTimeString(undefined, {
    hour: '2-digit', minute: '2-digit',
  });
  target.textContent = minutes > 0
    ? `expires at ${when} (in ${minutes}${minutes === 1 ? ' minute)' : ' minutes)'}`
    : `expires at ${when}`;
}
