/** register.html: SignUp, then on to verify.html with the email (or sign-in if confirmed). */
import { usernameFromEmail } from '../auth/pool.js';
import { signUp } from '../auth/register.js';
import { text } from '../site-config.js';
import { updateChecklist } from '../ui/checklist.js';
import { showCognitoError } from '../ui/cognito-error.js';
import { $, withEmail } from '../ui/dom.js';
import { setFlash } from '../ui/flash.js';
import { onSubmit, prefillEmail, validate, validEmail } from '../ui/form.js';
import { setBusy } from '../ui/message.js';
import { startPage } from './start.js';

function wireUsernamePreview(input) {
  const preview = $('usernamePreview');
  if (!input || !preview) return;
  const update = () => {
    preview.textContent = usernameFromEmail(input.value) || 'you-at-example.com';
  };
  input.addEventListener('input', update);
  update();
}

function wireRegister(form) {
  const email = $('emailInputRegister');
  const password = $('passwordInputRegister');
  const password2 = $('password2InputRegister');
  const mismatch = $('passwordMismatch');
  prefillEmail(email);
  wireUsernamePreview(email);

  const checkMismatch = (onSubmit) => {
    const differs = password2.value !== '' && password.value !== password2.value;
    const show = differs || (onSubmit && password.value !== password2.value);
    if (mismatch) mismatch.hidden = !show;
    password2.setAttribute('aria-invalid', show ? 'true' : 'false');
    return password.value === password2.value;
  };

  password.addEventListener('input', () => {
    updateChecklist(password.value);
    checkMismatch(false);
  });
  password2.addEventListener('input', () => checkMismatch(false));
  updateChecklist(password.value);

  const submit = form.querySelector('button[type="submit"]');
  onSubmit(form, () => {
    const address = text(email.value);
    if (!validate([
      { ok: validEmail(address), input: email, code: 'InvalidEmail',
        message: 'Enter your email address, like rider@example.com.' },
      { ok: !!password.value, input: password, code: 'MissingPassword',
        message: 'Choose a password.' },
      { ok: () => checkMismatch(true), input: password2, code: 'PasswordMismatch',
        message: 'The passwords do not match. Type the same password in both boxes.' },
    ])) return;
    setBusy(form, true, 'Creating your account\u2026');
    signUp(address, password.value).then((result) => {
      if (result && result.userConfirmed) {
        setFlash('confirmed');
        window.location.href = withEmail('signin.html', address);
        return;
      }
      const delivery = result && result.codeDeliveryDetails;
      setFlash('registered', (delivery && delivery.Destination) || address);
      window.location.href = withEmail('verify.html', address);
    }, (err) => {
      setBusy(form, false);
      showCognitoError(err, 'register', address, password.value,
        { email, password, fallback: submit });
    });
  });
}

startPage(() => wireRegister($('registrationForm')));
