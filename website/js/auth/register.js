/** Registering a rider and verifying the email: SignUp, ConfirmSignUp, ResendConfirmationCode. */
import { text } from '../site-config.js';
import { cognitoUser, promised, requirePool, sdk, usernameFromEmail } from './pool.js';

export function signUp(email, password) {
  return promised((done) => {
    const attributes = [new (sdk().CognitoUserAttribute)({ Name: 'email', Value: text(email) })];
    requirePool().signUp(usernameFromEmail(email), password, attributes, null, done);
  });
}

export function confirmRegistration(email, code) {
  return promised((done) => cognitoUser(email).confirmRegistration(code, true, done));
}

export function resendConfirmationCode(email) {
  return promised((done) => cognitoUser(email).resendConfirmationCode(done));
}
