/** verify.html: ConfirmSignUp with the emailed code, a new code on request, the local mailbox. */
import { confirmRegistration, resendConfirmationCode } from '../auth/register.js';
import { config, text } from '../site-config.js';
import { mailboxHint, showCognitoError } from '../ui/cognito-error.js';
import { $, sentence, withEmail } from '../ui/dom.js';
import { setFlash, takeFlash } from '../ui/flash.js';
import {
  onSubmit, prefillEmail, registeredEmail, showFieldError, validate, validEmail,
} from '../ui/form.js';
import { clearMessage, setBusy, showMessage } from '../ui/message.js';
import { startPage } from './start.js';

const READ_IT_IN = 'On the local backend, read it in ';

function showMailboxLink() {
  const mailbox = $('mailboxLink');
  if (!mailbox || !config.mailboxUrl) return;
  mailbox.href = config.mailboxUrl;
  ($('mailboxHint') || mailbox).hidden = false;
}

function greetNewRider() {
  const flash = takeFlash();
  if (!flash || flash.kind !== 'registered') return;
  const where = config.mailboxUrl
    ? mailboxHint(READ_IT_IN)
    : sentence('form-hint', ['It comes from no-reply@verificationemail.com; '
      + 'check your spam folder if it is not there in a minute.']);
  showMessage('success', `Account created. We sent a verification code to ${
    flash.detail || 'your email'}.`, [where]);
}

function wireResend(resend, email, code) {
  resend.addEventListener('click', () => {
    if (resend.getAttribute('aria-disabled') === 'true') return;  // a code is on its way
    clearMessage();
    const address = text(email.value);
    if (!validEmail(address)) {
      showFieldError(email, 'Enter your email address first, then ask for a new code.',
        'InvalidEmail');
      return;
    }
    // aria-disabled, not disabled: the focus stays on the button while Cognito answers.
    resend.setAttribute('aria-disabled', 'true');
    resendConfirmationCode(address).then((result) => {
      const delivery = result && result.CodeDeliveryDetails;
      showMessage('success', `A new code is on its way to ${
        (delivery && delivery.Destination) || address}. Use the code in the newest email.`,
      [mailboxHint(READ_IT_IN)].filter(Boolean));
      resend.removeAttribute('aria-disabled');
    }, (err) => {
      resend.removeAttribute('aria-disabled');
      showCognitoError(err, 'verify', address, '', { email, code, fallback: resend });
    });
  });
}

function wireVerify(form) {
  const email = $('emailInputVerify');
  const code = $('codeInputVerify');
  if (prefillEmail(email) && code) code.focus();
  showMailboxLink();
  greetNewRider();

  const submit = form.querySelector('button[type="submit"]');
  onSubmit(form, () => {
    const address = text(email.value);
    const value = text(code.value).replace(/\s+/g, '');
    if (!validate([
      registeredEmail(address, email),
      { ok: !!value, input: code, code: 'MissingCode',
        message: 'Enter the verification code from the email.' },
    ])) return;
    setBusy(form, true, 'Verifying\u2026');
    confirmRegistration(address, value).then(() => {
      setFlash('verified');
      window.location.href = withEmail('signin.html', address);
    }, (err) => {
      setBusy(form, false);
      showCognitoError(err, 'verify', address, '', { email, code, fallback: submit });
    });
  });
  const resend = $('resendCode');
  if (resend) wireResend(resend, email, code);
}

startPage(() => wireVerify($('verifyForm')));
