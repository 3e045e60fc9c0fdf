/** The session the SDK keeps in this browser's local storage: read (refreshed) and ended. */
import { errorCode } from './errors.js';
import { setup } from './pool.js';

/**
 * Resolves {user, session} for a valid (possibly refreshed) session, or null when there is
 * none (or Cognito refused the refresh token). Rejects with the SDK's NetworkError when the
 * refresh got no answer: the session may be fine, the backend is not.
 */
export function currentSession() {
  return new Promise((resolve, reject) => {
    if (!setup.ok) return resolve(null);
    const user = setup.pool.getCurrentUser();
    if (!user) return resolve(null);
    user.getSession((err, session) => {
      if (err && errorCode(err) === 'NetworkError') reject(err);
      else if (err || !session || !session.isValid()) resolve(null);
      else resolve({ user, session });
    });
  });
}

/**
 * New tokens for the current user from the refresh token (the SDK's refreshSession, which
 * sends InitiateAuth REFRESH_TOKEN_AUTH), whatever this browser's clock says about the old
 * ones: resolves {user, session}, or null when there is no session or Cognito refuses it.
 */
export function refreshedSession() {
  return new Promise((resolve) => {
    if (!setup.ok) return resolve(null);
    const user = setup.pool.getCurrentUser();
    if (!user) return resolve(null);
    user.getSession((err, session) => {
      if (err || !session) return resolve(null);
      user.refreshSession(session.getRefreshToken(), (refreshErr, renewed) => {
        if (refreshErr || !renewed) resolve(null);
        else resolve({ user, session: renewed });
      });
    });
  });
}

/**
 * Signs out: asks Cognito to revoke the refresh token (and the access tokens it made),
 * then forgets the session in this browser. If revoking fails (the session had already
 * ended, or no answer came) the browser forgets it all the same, and the promise resolves
 * with the error. Cognito's own APIs then refuse those tokens; a JWT check of signature and
 * expiry elsewhere still accepts them until they expire (developer guide, "Ending user
 * sessions with token revocation").
 */
export function signOut() {
  return new Promise((resolve) => {
    const user = setup.ok ? setup.pool.getCurrentUser() : null;
    if (!user) {
      resolve(null);
      return;
    }
    user.signOut((err) => {
      if (err) user.signOut();
      resolve(err || null);
    });
  });
}
