/** signin.html: SRP sign-in, then ride.html; the notice a previous page left. */
import { signIn } from '../auth/sign-in.js';
import { text } from '../site-config.js';
import { showCognitoError } from '../ui/cognito-error.js';
import { $ } from '../ui/dom.js';
import { takeFlash } from '../ui/flash.js';
import { onSubmit, prefillEmail, registeredEmail, validate } from '../ui/form.js';
import { messageArea, setBusy, showMessage } from '../ui/message.js';
import { startPage } from './start.js';

const NOTICES = {
  verified: 'Your email is verified. Sign in to ride.',
  confirmed: 'Your account is ready. Sign in to ride.',
  signedOut: 'You are signed out. See you on the next ride!',
  signInRequired: 'Sign in to see your ride.',
};

function showNotice() {
  const flash = takeFlash();
  if (!flash || !NOTICES[flash.kind]) return;
  showMessage(flash.kind === 'signInRequired' ? 'info' : 'success', NOTICES[flash.kind]);
  const box = messageArea() && messageArea().firstChild;
  if (box && flash.kind === 'verified') box.id = 'verifiedNotice';
}

function wireSignin(form) {
  const email = $('emailInputSignin');
  const password = $('passwordInputSignin');
  if (prefillEmail(email) && password) password.focus();
  showNotice();

  const submit = form.querySelector('button[type="submit"]');
  onSubmit(form, () => {
    const address = text(email.value);
    if (!validate([
      registeredEmail(address, email),
      { ok: !!password.value, input: password, code: 'MissingPassword',
        message: 'Enter your password.' },
    ])) return;
    setBusy(form, true, 'Signing in\u2026');
    signIn(address, password.value).then(() => {
      window.location.href = 'ride.html';
    }, (err) => {
      setBusy(form, false);
      showCognitoError(err, 'signin', address, '', { email, password, fallback: submit });
    });
  });
}

startPage(() => wireSignin($('signinForm')));
