/*
 * Wild Rydes: the site's link to its Amazon Cognito user pool.
 *
 * Plain browser JavaScript, no build step. Loaded (deferred) on every page after
 *   js/config.js                                  window._config, written by the kit
 *   js/vendor/amazon-cognito-identity.min.js      the SDK, global AmazonCognitoIdentity
 *
 * It checks the configuration, shows #configNotice and disables the forms when the site
 * has no user pool (or no SDK), and wires whichever of these forms the page has:
 *   #registrationForm  signUp               -> verify.html?email=...
 *   #verifyForm        confirmRegistration  -> signin.html?email=...
 *   #signinForm        authenticateUser     -> ride.html   (SRP, the SDK's default flow)
 * ride.js uses window.WildRydes.currentSession() and signOut().
 *
 * Anything that comes from the server or a token is inserted with textContent only.
 */
(function () {
  'use strict';

  var WR = (window.WildRydes = window.WildRydes || {});

  var SDK_PATH = 'js/vendor/amazon-cognito-identity.min.js';
  var FLASH_KEY = 'wildrydes.flash';
  // The kit's words, generated from the Python package into js/kit-words.js (loaded first):
  // the password policy's length, rules and symbols (a space that is neither leading nor
  // trailing counts as a symbol too), and the next step after each refusal.
  var WORDS = WR.words || { minimumLength: 8, symbols: '', rules: {}, nextSteps: {} };
  var MIN_PASSWORD_LENGTH = WORDS.minimumLength;
  var SYMBOLS = WORDS.symbols;
  var RULE_WORDS = WORDS.rules;
  // The page's step, as the table of next steps names it.
  var STEPS = { register: 'register', verify: 'confirm', signin: 'sign-in' };

  // ---------------------------------------------------------------- configuration

  function text(value) {
    return typeof value === 'string' ? value.trim() : '';
  }

  function readConfig() {
    var raw = window._config;
    var cfg = raw && typeof raw === 'object' ? raw : null;
    var cognito = (cfg && cfg.cognito) || {};
    var api = (cfg && cfg.api) || {};
    var local = (cfg && cfg.local) || {};
    return {
      present: cfg !== null,
      userPoolId: text(cognito.userPoolId),
      clientId: text(cognito.userPoolClientId),
      region: text(cognito.region),
      // The embedded backend's config.js names it relative to the page ("../"), so the same
      // file works at 127.0.0.1:<port> and through Jupyter's proxy under <base_url>/wildrydes/.
      endpoint: safeHttpUrl(text(cognito.endpoint)),
      invokeUrl: text(api.invokeUrl),
      mailboxUrl: safeHttpUrl(text(local.mailboxUrl)),
    };
  }

  /** The URL if it is http(s), else '' (never a javascript: or data: link). */
  function safeHttpUrl(value) {
    if (!value) return '';
    try {
      var url = new URL(value, window.location.href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '';
    } catch (e) {
      return '';
    }
  }

  function checkSetup(config) {
    if (!config.present) return { ok: false, reason: 'no-config' };
    if (!config.userPoolId || !config.clientId) return { ok: false, reason: 'no-pool' };
    if (typeof window.AmazonCognitoIdentity === 'undefined') {
      return { ok: false, reason: 'no-sdk' };
    }
    var options = { UserPoolId: config.userPoolId, ClientId: config.clientId };
    if (config.endpoint) options.endpoint = config.endpoint;
    try {
      return { ok: true, pool: new window.AmazonCognitoIdentity.CognitoUserPool(options) };
    } catch (e) {
      return { ok: false, reason: 'bad-pool', detail: (e && e.message) || String(e) };
    }
  }

  var config = readConfig();
  var setup = checkSetup(config);

  // ---------------------------------------------------------------- the SDK, as promises

  /** The Cognito username for an email: the rule the whole kit shares. */
  function usernameFromEmail(email) {
    return text(email).split('@').join('-at-');
  }

  function requirePool() {
    if (!setup.ok) throw new Error('The site has no user pool configured (js/config.js).');
    return setup.pool;
  }

  function cognitoUser(email) {
    return new window.AmazonCognitoIdentity.CognitoUser({
      Username: usernameFromEmail(email),
      Pool: requirePool(),
    });
  }

  /** A promise for an SDK call that reports through callback(err, result). */
  function promised(call) {
    return new Promise(function (resolve, reject) {
      call(function (err, result) {
        if (err) reject(err);
        else resolve(result);
      });
    });
  }

  function signUp(email, password) {
    return promised(function (done) {
      var attributes = [
        new window.AmazonCognitoIdentity.CognitoUserAttribute({ Name: 'email', Value: text(email) }),
      ];
      requirePool().signUp(usernameFromEmail(email), password, attributes, null, done);
    });
  }

  function confirmRegistration(email, code) {
    return promised(function (done) {
      cognitoUser(email).confirmRegistration(code, true, done);
    });
  }

  function resendConfirmationCode(email) {
    return promised(function (done) {
      cognitoUser(email).resendConfirmationCode(done);
    });
  }

  function challengeError(code, message) {
    var err = new Error(message);
    err.code = code;
    err.name = code;
    return err;
  }

  function signIn(email, password) {
    var details = new window.AmazonCognitoIdentity.AuthenticationDetails({
      Username: usernameFromEmail(email),
      Password: password,
    });
    return new Promise(function (resolve, reject) {
      var unsupported = function (what) {
        return function () {
          reject(challengeError('UnsupportedChallenge',
            'This user pool asks for ' + what + ', which this workshop site does not handle.'));
        };
      };
      cognitoUser(email).authenticateUser(details, {
        onSuccess: function (session) { resolve(session); },
        onFailure: function (err) { reject(err); },
        newPasswordRequired: unsupported('a new password (the user was created by an administrator)'),
        mfaRequired: unsupported('an SMS code (MFA)'),
        totpRequired: unsupported('an authenticator-app code (MFA)'),
        mfaSetup: unsupported('MFA set-up'),
        selectMFAType: unsupported('an MFA choice'),
        customChallenge: unsupported('a custom challenge'),
      });
    });
  }

  /** Resolves {user, session} for a valid (possibly refreshed) session, or null. */
  function currentSession() {
    return new Promise(function (resolve) {
      if (!setup.ok) return resolve(null);
      var user = setup.pool.getCurrentUser();
      if (!user) return resolve(null);
      user.getSession(function (err, session) {
        if (err || !session || !session.isValid()) resolve(null);
        else resolve({ user: user, session: session });
      });
    });
  }

  /**
   * Signs out: asks Cognito to revoke the refresh token (and the access tokens it made),
   * then forgets the session in this browser. If the session had already ended, revoking
   * fails and the browser forgets it all the same. Cognito's own APIs then refuse those tokens;
   * a JWT check of signature and expiry elsewhere still accepts them until they expire
   * (developer guide, "Ending user sessions with token revocation").
   */
  function signOut() {
    return new Promise(function (resolve) {
      var user = setup.ok ? setup.pool.getCurrentUser() : null;
      if (!user) {
        resolve();
        return;
      }
      user.signOut(function (err) {
        if (err) user.signOut();
        resolve();
      });
    });
  }

  // ---------------------------------------------------------------- password policy

  function passwordChecks(password) {
    var pw = String(password || '');
    var chars = Array.from(pw);
    var inner = chars.slice(1, -1).join('');
    return {
      length: chars.length >= MIN_PASSWORD_LENGTH,
      upper: /\p{Lu}/u.test(pw),
      lower: /\p{Ll}/u.test(pw),
      number: /\p{Nd}/u.test(pw),
      symbol: chars.some(function (c) { return SYMBOLS.indexOf(c) !== -1; }) || inner.indexOf(' ') !== -1,
    };
  }

  function missingRules(password) {
    var checks = passwordChecks(password);
    return Object.keys(checks).filter(function (rule) { return !checks[rule]; });
  }

  /** The rule a Cognito InvalidPasswordException message names, if any. */
  function ruleFromMessage(message) {
    var m = String(message || '');
    if (/long enough|length/i.test(m)) return 'length';
    if (/uppercase/i.test(m)) return 'upper';
    if (/lowercase/i.test(m)) return 'lower';
    if (/numeric|number/i.test(m)) return 'number';
    if (/symbol|special/i.test(m)) return 'symbol';
    return null;
  }

  // ---------------------------------------------------------------- small DOM helpers

  function $(id) {
    return document.getElementById(id);
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined && content !== null) node.textContent = String(content);
    return node;
  }

  /** A paragraph made of text pieces and {text, href, id} links, all inserted as text. */
  function sentence(className, parts) {
    var p = el('p', className);
    parts.forEach(function (part) {
      if (typeof part === 'string') {
        p.appendChild(document.createTextNode(part));
      } else if (part && part.code) {
        p.appendChild(el('code', null, part.code));
      } else if (part && part.href) {
        var a = el('a', part.className || null, part.text);
        a.href = part.href;
        if (part.id) a.id = part.id;
        if (part.external) {
          a.target = '_blank';
          a.rel = 'noopener noreferrer';
        }
        p.appendChild(a);
      }
    });
    return p;
  }

  function withEmail(page, email) {
    var e = text(email);
    return e ? page + '?email=' + encodeURIComponent(e) : page;
  }

  function queryParam(name) {
    try {
      return new URLSearchParams(window.location.search).get(name) || '';
    } catch (e) {
      return '';
    }
  }

  function messageArea() {
    return $('formMessage');
  }

  function clearMessage() {
    var area = messageArea();
    if (area) area.replaceChildren();
  }

  /**
   * Shows a message next to the form. kind: 'error' | 'success' | 'info'.
   * Errors go in .form-error (the words alone); hints follow in .form-hint.
   */
  function showMessage(kind, message, hints, code) {
    var area = messageArea();
    if (!area) return;
    area.replaceChildren();
    var box = el('div', 'form-' + kind, message);
    if (kind === 'error') {
      box.setAttribute('role', 'alert');
      if (code) box.setAttribute('data-error-code', code);
    }
    area.appendChild(box);
    (hints || []).forEach(function (hint) {
      area.appendChild(hint);
    });
  }

  function setBusy(form, busy, label) {
    var button = form.querySelector('button[type="submit"]');
    form.setAttribute('aria-busy', busy ? 'true' : 'false');
    Array.prototype.forEach.call(form.elements, function (control) {
      control.disabled = busy;
    });
    if (button) {
      if (busy) {
        button.setAttribute('data-label', button.textContent);
        button.textContent = label;
      } else if (button.getAttribute('data-label')) {
        button.textContent = button.getAttribute('data-label');
      }
    }
  }

  // One-shot notices carried to the next page in sessionStorage (URLs stay clean).
  function setFlash(kind, detail) {
    try {
      window.sessionStorage.setItem(FLASH_KEY, JSON.stringify({ kind: kind, detail: detail || '' }));
    } catch (e) { /* storage off: no notice, no harm */ }
  }

  function takeFlash() {
    try {
      var raw = window.sessionStorage.getItem(FLASH_KEY);
      window.sessionStorage.removeItem(FLASH_KEY);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- the config notice

  var REASONS = {
    'no-config': function () {
      return ['The site could not load ', { code: 'js/config.js' },
        ', so it does not know which Amazon Cognito user pool to use.'];
    },
    'no-pool': function () {
      return [{ code: 'js/config.js' }, ' has no user pool yet: ',
        { code: 'cognito.userPoolId' }, ' and ', { code: 'cognito.userPoolClientId' },
        ' are empty, so there is nowhere to register or sign in.'];
    },
    'no-sdk': function () {
      return [{ code: 'js/config.js' }, ' names a user pool, but the Amazon Cognito SDK (',
        { code: SDK_PATH }, ') did not load, so the forms cannot talk to it.'];
    },
    'bad-pool': function (detail) {
      return [{ code: 'js/config.js' }, ' has a user pool id the Cognito SDK rejects (',
        { code: config.userPoolId }, '): ' + detail];
    },
  };

  function renderConfigNotice() {
    var notice = $('configNotice');
    if (!notice) return;
    var inner = el('div', 'container config-notice-inner');
    inner.appendChild(el('span', 'config-notice-icon', '!'));
    var body = el('div', 'config-notice-body');
    body.appendChild(el('h2', 'config-notice-title', 'This site is not connected to a user pool yet'));
    body.appendChild(sentence('config-notice-reason', REASONS[setup.reason](setup.detail)));
    body.appendChild(sentence('config-notice-fix', [
      'To fix it, run ', { code: 'wildrydes up' }, ' (or notebook 03). It creates the user pool ' +
      'and its app client, writes their ids into ', { code: 'js/config.js' },
      ', uploads the site with the SDK, and then this page works after a reload.',
    ]));
    inner.appendChild(body);
    notice.replaceChildren(inner);
    notice.hidden = false;
    notice.setAttribute('data-reason', setup.reason);
    document.body.classList.add('is-unconfigured');
  }

  function disableForms() {
    Array.prototype.forEach.call(document.querySelectorAll('form'), function (form) {
      form.classList.add('is-disabled');
      form.setAttribute('aria-disabled', 'true');
      Array.prototype.forEach.call(form.elements, function (control) {
        control.disabled = true;
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-needs-pool]'), function (control) {
      control.disabled = true;
    });
  }

  // ---------------------------------------------------------------- errors, in Cognito's words

  function errorCode(err) {
    return (err && (err.code || err.name)) || 'Error';
  }

  function errorText(err) {
    var message = err && err.message ? String(err.message) : '';
    if (!message || /^\d+$/.test(message)) {
      // The SDK's fallback when the body had no JSON: the HTTP status as the message.
      return errorCode(err) + (message ? ' (HTTP ' + message + ')' : '');
    }
    return message;
  }

  function mailboxHint(prefix) {
    if (!config.mailboxUrl) return null;
    return sentence('form-hint', [prefix || 'Codes from the local backend land in ',
      { text: 'the local mailbox', href: config.mailboxUrl, external: true }, '.']);
  }

  /** "a, b and c" from rule keys. */
  function listWords(rules) {
    var words = rules.map(function (r) { return RULE_WORDS[r]; });
    return words.length > 1
      ? words.slice(0, -1).join(', ') + ' and ' + words[words.length - 1]
      : words.join('');
  }

  // ---------------------------------------------------------------- the progress rail

  var RAIL_STEPS = ['register', 'verify', 'signin', 'ride'];

  /** Show a step of the page's progress rail as 'is-done' or 'is-todo', from what Cognito
   * just said (the page's HTML is only the usual case: a rider who signs in has verified). */
  function setRailStep(step, state) {
    var items = document.querySelectorAll('.progress .progress-step');
    var item = items[RAIL_STEPS.indexOf(step)];
    if (!item || item.classList.contains('is-current')) return;
    item.classList.remove('is-done', 'is-todo');
    item.classList.add(state);
  }

  /**
   * The table's next step for code at step (else at any step) as a hint paragraph, or null.
   * "[text](page.html)" is a link (carrying the email to verify and sign-in), "`x`" is code,
   * and {name} is values[name].
   */
  function nextStepHint(step, code, email, values) {
    var words = WORDS.nextSteps[step + ' ' + code] || WORDS.nextSteps['* ' + code];
    if (!words) return null;
    var fill = function (piece) {
      return piece.replace(/\{(\w+)\}/g, function (all, name) {
        return name in values ? values[name] : all;
      });
    };
    var parts = [];
    words.split(/(\[[^\]]+\]\([^)]+\)|`[^`]+`)/).forEach(function (piece) {
      var link = /^\[([^\]]+)\]\(([^)]+)\)$/.exec(piece);
      var mark = /^`([^`]+)`$/.exec(piece);
      if (link) {
        var page = link[2];
        var carries = page === 'verify.html' || page === 'signin.html';
        parts.push({ text: fill(link[1]), href: carries ? withEmail(page, email) : page,
          id: carries ? page.replace('.html', 'Link') : null });
      } else if (mark) {
        parts.push({ code: fill(mark[1]) });
      } else if (piece) {
        parts.push(fill(piece));
      }
    });
    return sentence('form-hint', parts);
  }

  /** Our hints for an error on a given page ('register' | 'verify' | 'signin'). */
  function hintsFor(err, page, email, password) {
    var code = errorCode(err);
    var message = String((err && err.message) || '');
    var step = STEPS[page] || page;
    var key = code;
    var values = { email: text(email), endpoint: config.endpoint || '' };
    switch (code) {
      case 'UserNotConfirmedException':
        setRailStep('register', 'is-done');
        setRailStep('verify', 'is-todo');
        break;
      case 'InvalidPasswordException': {
        var rules = missingRules(password);
        var named = ruleFromMessage(message);
        if (named && rules.indexOf(named) === -1) rules.unshift(named);
        markMissingRules(rules);
        values.rules = listWords(rules);
        if (!rules.length) key = code + '.unknown-rule';
        break;
      }
      case 'NotAuthorizedException':
        step = /CONFIRMED/.test(message) || page === 'verify' ? 'confirm' : 'sign-in';
        // A lockout has the same code as a wrong password; only Cognito's message tells
        // them apart (developer guide, lockout behavior: "Password attempts exceeded").
        if (/^Password attempts exceeded\.?$/.test(message.trim())) {
          key = code + '.attempts-exceeded';
        }
        break;
      case 'UserNotFoundException':
        setRailStep('register', 'is-todo');
        setRailStep('verify', 'is-todo');
        break;
      case 'InvalidParameterException':
        if (!/already confirmed/i.test(message)) return [];
        step = 'confirm';
        break;
      case 'NetworkError':
        if (config.endpoint) key = code + '.local';
        break;
      default:
        break;
    }
    var hints = [];
    var hint = nextStepHint(step, key, email, values);
    if (hint) hints.push(hint);
    if (code === 'CodeMismatchException') {
      var box = mailboxHint('On the local backend it is at the top of ');
      if (box) hints.push(box);
    }
    return hints;
  }

  function showCognitoError(err, page, email, password) {
    showMessage('error', errorText(err), hintsFor(err, page, email, password), errorCode(err));
  }

  // ---------------------------------------------------------------- page wiring

  function validEmail(value) {
    return /^[^\s@]+@[^\s@]+$/.test(value);
  }

  /**
   * Runs the checks in order; the first that fails is shown next to the form and its field
   * gets the focus. Each check: {ok: boolean or function, input, message, code}.
   * True when every check passes.
   */
  function validate(checks) {
    for (var i = 0; i < checks.length; i++) {
      var check = checks[i];
      var ok = typeof check.ok === 'function' ? check.ok() : check.ok;
      if (!ok) {
        showMessage('error', check.message, [], check.code);
        check.input.focus();
        return false;
      }
    }
    return true;
  }

  /** The check the verify and sign-in forms share: an email shaped like one. */
  function registeredEmail(address, input) {
    return { ok: validEmail(address), input: input, code: 'InvalidEmail',
      message: 'Enter the email address you registered with.' };
  }

  function wireUsernamePreview(input) {
    var preview = $('usernamePreview');
    if (!input || !preview) return;
    var update = function () {
      preview.textContent = usernameFromEmail(input.value) || 'you-at-example.com';
    };
    input.addEventListener('input', update);
    update();
  }

  function prefillEmail(input) {
    var email = queryParam('email');
    if (input && email && !input.value) input.value = email;
    return email;
  }

  function markMissingRules(rules) {
    var list = $('passwordChecklist');
    if (!list) return;
    Array.prototype.forEach.call(list.querySelectorAll('[data-rule]'), function (item) {
      item.classList.toggle('missing', rules.indexOf(item.getAttribute('data-rule')) !== -1);
    });
  }

  function updateChecklist(password) {
    var list = $('passwordChecklist');
    if (!list) return;
    var checks = passwordChecks(password);
    Array.prototype.forEach.call(list.querySelectorAll('[data-rule]'), function (item) {
      var met = !!checks[item.getAttribute('data-rule')];
      item.classList.toggle('met', met);
      item.setAttribute('data-met', met ? 'true' : 'false');
      if (met) item.classList.remove('missing');
      var state = item.querySelector('.rule-state');
      if (state) state.textContent = met ? 'done' : 'not yet';
    });
  }

  function wireRevealButtons() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-reveal]'), function (button) {
      var input = $(button.getAttribute('data-reveal'));
      if (!input) return;
      button.addEventListener('click', function () {
        var show = input.type === 'password';
        input.type = show ? 'text' : 'password';
        button.textContent = show ? 'Hide' : 'Show';
        button.setAttribute('aria-pressed', show ? 'true' : 'false');
      });
    });
  }

  function wireRegister(form) {
    var email = $('emailInputRegister');
    var password = $('passwordInputRegister');
    var password2 = $('password2InputRegister');
    var mismatch = $('passwordMismatch');
    prefillEmail(email);
    wireUsernamePreview(email);

    var checkMismatch = function (onSubmit) {
      var differs = password2.value !== '' && password.value !== password2.value;
      var show = differs || (onSubmit && password.value !== password2.value);
      if (mismatch) mismatch.hidden = !show;
      password2.setAttribute('aria-invalid', show ? 'true' : 'false');
      return password.value === password2.value;
    };

    password.addEventListener('input', function () {
      updateChecklist(password.value);
      checkMismatch(false);
    });
    password2.addEventListener('input', function () { checkMismatch(false); });
    updateChecklist(password.value);

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      clearMessage();
      var address = text(email.value);
      if (!validate([
        { ok: validEmail(address), input: email, code: 'InvalidEmail',
          message: 'Enter your email address, like rider@example.com.' },
        { ok: !!password.value, input: password, code: 'MissingPassword',
          message: 'Choose a password.' },
        { ok: function () { return checkMismatch(true); }, input: password2,
          code: 'PasswordMismatch',
          message: 'The passwords do not match. Type the same password in both boxes.' },
      ])) return;
      setBusy(form, true, 'Creating your account\u2026');
      signUp(address, password.value).then(function (result) {
        var delivery = result && result.codeDeliveryDetails;
        if (result && result.userConfirmed) {
          setFlash('confirmed');
          window.location.href = withEmail('signin.html', address);
          return;
        }
        setFlash('registered', (delivery && delivery.Destination) || address);
        window.location.href = withEmail('verify.html', address);
      }, function (err) {
        setBusy(form, false);
        showCognitoError(err, 'register', address, password.value);
      });
    });
  }

  function wireVerify(form) {
    var email = $('emailInputVerify');
    var code = $('codeInputVerify');
    var resend = $('resendCode');
    var mailbox = $('mailboxLink');
    var prefilled = prefillEmail(email);
    if (prefilled && code) code.focus();

    if (mailbox && config.mailboxUrl) {
      mailbox.href = config.mailboxUrl;
      var box = $('mailboxHint') || mailbox;
      box.hidden = false;
    }

    var flash = takeFlash();
    if (flash && flash.kind === 'registered') {
      showMessage('success', 'Account created. We sent a verification code to ' +
        (flash.detail || 'your email') + '.',
        [config.mailboxUrl ? mailboxHint('On the local backend, read it in ') :
          sentence('form-hint', ['It comes from no-reply@verificationemail.com; ' +
            'check your spam folder if it is not there in a minute.'])].filter(Boolean));
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      clearMessage();
      var address = text(email.value);
      var value = text(code.value).replace(/\s+/g, '');
      if (!validate([
        registeredEmail(address, email),
        { ok: !!value, input: code, code: 'MissingCode',
          message: 'Enter the verification code from the email.' },
      ])) return;
      setBusy(form, true, 'Verifying\u2026');
      confirmRegistration(address, value).then(function () {
        setFlash('verified');
        window.location.href = withEmail('signin.html', address);
      }, function (err) {
        setBusy(form, false);
        showCognitoError(err, 'verify', address);
      });
    });

    if (resend) {
      resend.addEventListener('click', function () {
        clearMessage();
        var address = text(email.value);
        if (!validate([{ ok: validEmail(address), input: email, code: 'InvalidEmail',
          message: 'Enter your email address first, then ask for a new code.' }])) return;
        resend.disabled = true;
        resendConfirmationCode(address).then(function (result) {
          var delivery = result && result.CodeDeliveryDetails;
          showMessage('success', 'A new code is on its way to ' +
            ((delivery && delivery.Destination) || address) + '. Use the code in the newest email.',
            [mailboxHint('On the local backend, read it in ')].filter(Boolean));
        }, function (err) {
          showCognitoError(err, 'verify', address);
        }).then(function () {
          resend.disabled = false;
        });
      });
    }
  }

  function wireSignin(form) {
    var email = $('emailInputSignin');
    var password = $('passwordInputSignin');
    var prefilled = prefillEmail(email);
    if (prefilled && password) password.focus();

    var flash = takeFlash();
    var notices = {
      verified: 'Your email is verified. Sign in to ride.',
      confirmed: 'Your account is ready. Sign in to ride.',
      signedOut: 'You are signed out. See you on the next ride!',
      signInRequired: 'Sign in to see your ride.',
    };
    if (flash && notices[flash.kind]) {
      showMessage(flash.kind === 'signInRequired' ? 'info' : 'success', notices[flash.kind]);
      var box = messageArea() && messageArea().firstChild;
      if (box && flash.kind === 'verified') box.id = 'verifiedNotice';
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      clearMessage();
      var address = text(email.value);
      if (!validate([
        registeredEmail(address, email),
        { ok: !!password.value, input: password, code: 'MissingPassword',
          message: 'Enter your password.' },
      ])) return;
      setBusy(form, true, 'Signing in\u2026');
      signIn(address, password.value).then(function () {
        window.location.href = 'ride.html';
      }, function (err) {
        setBusy(form, false);
        showCognitoError(err, 'signin', address);
      });
    });
  }

  // ---------------------------------------------------------------- start

  WR.config = config;
  WR.setup = { ok: setup.ok, reason: setup.reason || null };
  WR.usernameFromEmail = usernameFromEmail;
  WR.passwordChecks = passwordChecks;
  WR.signUp = signUp;
  WR.confirmRegistration = confirmRegistration;
  WR.resendConfirmationCode = resendConfirmationCode;
  WR.signIn = signIn;
  WR.currentSession = currentSession;
  WR.signOut = signOut;
  WR.setFlash = setFlash;
  WR.showMessage = showMessage;
  WR.sentence = sentence;
  WR.dom = { $: $, el: el };

  function start() {
    wireRevealButtons();
    var register = $('registrationForm');
    var verify = $('verifyForm');
    var signin = $('signinForm');
    if (register) wireRegister(register);
    if (verify) wireVerify(verify);
    if (signin) wireSignin(signin);
    if (!setup.ok) {
      renderConfigNotice();
      disableForms();
    }
    document.body.classList.add('js-ready');
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
