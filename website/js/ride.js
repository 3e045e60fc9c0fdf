/*
 * Wild Rydes: the ride page. Needs js/cognito-auth.js (window.WildRydes) first.
 *
 * No valid session -> signin.html. Otherwise it shows the ID token (#authToken), a copy
 * button, the token's claims decoded for display (#claimsTable), the API state
 * (#apiNotice while api.invokeUrl is empty) and a sign-out button.
 * Token contents are inserted with textContent only.
 */
(function () {
  'use strict';

  var WR = window.WildRydes;
  // The DOM helpers cognito-auth.js shares; without it there is nothing to show.
  var dom = (WR && WR.dom) || {};
  var $ = dom.$;
  var el = dom.el;

  var TIME_CLAIMS = ['exp', 'iat', 'auth_time', 'nbf'];
  var MEANINGS = {
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
  function decodePayload(token) {
    var parts = String(token).split('.');
    if (parts.length !== 3) throw new Error('The token is not a JWT (expected three parts).');
    var b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    b64 += '===='.slice(0, (4 - (b64.length % 4)) % 4);
    var binary = window.atob(b64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return JSON.parse(new TextDecoder('utf-8').decode(bytes));
  }

  function formatTime(seconds) {
    var date = new Date(seconds * 1000);
    return date.toLocaleString(undefined, {
      year: 'numeric', month: 'short', day: 'numeric',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
  }

  function formatValue(value) {
    if (typeof value === 'string') return value;
    return JSON.stringify(value);
  }

  function fillClaims(claims) {
    var body = $('claimsTable').tBodies[0];
    body.replaceChildren();
    Object.keys(claims).forEach(function (name) {
      var value = claims[name];
      var row = document.createElement('tr');
      var th = el('th');
      th.scope = 'row';
      th.appendChild(el('code', null, name));
      row.appendChild(th);

      var td = el('td', 'claim-value');
      td.appendChild(el('span', 'claim-raw', formatValue(value)));
      if (TIME_CLAIMS.indexOf(name) !== -1 && typeof value === 'number') {
        td.appendChild(el('span', 'claim-time', formatTime(value)));
      }
      row.appendChild(td);
      row.appendChild(el('td', 'claim-meaning', MEANINGS[name] || ''));
      row.setAttribute('data-claim', name);
      body.appendChild(row);
    });
  }

  function describeExpiry(claims) {
    var target = $('tokenExpiry');
    if (!target || typeof claims.exp !== 'number') return;
    var minutes = Math.round((claims.exp * 1000 - Date.now()) / 60000);
    var when = new Date(claims.exp * 1000).toLocaleTimeString(undefined, {
      hour: '2-digit', minute: '2-digit',
    });
    target.textContent = minutes > 0
      ? 'expires at ' + when + ' (in ' + minutes + (minutes === 1 ? ' minute)' : ' minutes)')
      : 'expires at ' + when;
  }

  function copyText(value) {
    var fallback = function () {
      var area = document.createElement('textarea');
      area.value = value;
      area.setAttribute('readonly', '');
      area.className = 'offscreen';
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand('copy');
      } catch (e) {
        ok = false;
      }
      area.remove();
      return ok;
    };
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(value).then(function () { return true; }, fallback);
    }
    return Promise.resolve(fallback());
  }

  function selectToken() {
    var range = document.createRange();
    range.selectNodeContents($('authToken'));
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function wireCopy(token) {
    var button = $('copyToken');
    var status = $('copyStatus');
    var timer = null;
    button.addEventListener('click', function () {
      copyText(token).then(function (ok) {
        if (!ok) selectToken();
        status.textContent = ok ? 'Copied!' : 'Selected: press Ctrl+C (\u2318C) to copy';
        button.classList.toggle('is-copied', ok);
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          status.textContent = '';
          button.classList.remove('is-copied');
        }, 2500);
      });
    });
  }

  function wireSignOut() {
    var button = $('signOut');
    button.addEventListener('click', function () {
      button.disabled = true;
      WR.signOut().then(function () {
        WR.setFlash('signedOut');
        window.location.href = 'signin.html';
      });
    });
  }

  function showApiState() {
    var url = WR.config.invokeUrl;
    if (url) {
      $('apiUrl').textContent = url;
      $('apiReady').hidden = false;
    } else {
      $('apiNotice').hidden = false;
    }
  }

  function render(found) {
    var token = found.session.getIdToken().getJwtToken();
    $('authToken').textContent = token;
    showApiState();
    wireCopy(token);
    wireSignOut();
    var username = found.user.getUsername();
    $('riderUsername').textContent = username;
    try {
      var claims = decodePayload(token);
      $('riderName').textContent = claims.email || username;
      fillClaims(claims);
      describeExpiry(claims);
    } catch (e) {
      $('riderName').textContent = username;
      WR.showMessage('error', 'The token could not be decoded for display: ' + e.message);
    }
    $('sessionStatus').hidden = true;
    $('rideContent').hidden = false;
    document.body.classList.add('has-session');
  }

  function start() {
    var status = document.getElementById('sessionStatus');
    if (!WR || !WR.setup || !WR.setup.ok || !$) {
      // cognito-auth.js shows #configNotice; there is no session to look for.
      if (status) status.hidden = true;
      return;
    }
    WR.currentSession().then(function (found) {
      if (!found) {
        WR.setFlash('signInRequired');
        window.location.replace('signin.html');
        return;
      }
      render(found);
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
