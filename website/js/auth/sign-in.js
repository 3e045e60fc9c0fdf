/** Signing in with SRP (USER_SRP_AUTH, the SDK's default flow): the password never travels. */
import { cognitoUser, sdk, usernameFromEmail } from './pool.js';

function challengeError(code, message) {
  const err = new Error(message);
  err.code = code;
  err.name = code;
  return err;
}

/** Resolves the SDK's session; rejects with Cognito's error, or UnsupportedChallenge. */
export function signIn(email, password) {
  const details = new (sdk().AuthenticationDetails)({
    Username: usernameFromEmail(email),
    Password: password,
  });
  return new Promise((resolve, reject) => {
    const unsupported = (what) => () => {
      reject(challengeError('UnsupportedChallenge',
        `This user pool asks for ${what}, which this workshop site does not handle.`));
    };
    cognitoUser(email).authenticateUser(details, {
      onSuccess: (session) => resolve(session),
      onFailure: (err) => reject(err),
      newPasswordRequired: unsupported('a new password (the user was created by an administrator)'),
      mfaRequired: unsupported('an SMS code (MFA)'),
      totpRequired: unsupported('an authenticator-app code (MFA)'),
      mfaSetup: unsupported('MFA set-up'),
      selectMFAType: unsupported('an MFA choice'),
      customChallenge: unsupported('a custom challenge'),
    });
  });
}
