// Amplify JS v6 (what new web apps use) walks the whole account flow against the local
// Cognito: sign-up, confirm with the code from the local outbox, SRP sign-in, a forced
// refresh twice (GetTokensFromRefreshToken, with or without rotation), sign-out (RevokeToken). Reads a JSON request on
// stdin ({endpoint, userPoolId, clientId, username, email, password}); prints what each
// step returned as JSON on stdout. Any failure exits non-zero with the error on stderr.
import { Amplify } from "aws-amplify";
import {
  confirmSignUp, fetchAuthSession, getCurrentUser, signIn, signOut, signUp,
} from "aws-amplify/auth";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));

Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: request.userPoolId,
      userPoolClientId: request.clientId,
      userPoolEndpoint: request.endpoint,
    },
  },
});

async function newestCode(username) {
  const response = await fetch(`${request.endpoint}_wildrydes/outbox`, {
    headers: request.outboxHeaders,
  });
  const messages = (await response.json()).filter((m) => m.username === username);
  if (!messages.length) throw new Error(`no message for ${username} in the outbox`);
  return messages[messages.length - 1].code;
}

const result = {};
const signedUp = await signUp({
  username: request.username,
  password: request.password,
  options: { userAttributes: { email: request.email } },
});
result.signUpStep = signedUp.nextStep.signUpStep;
const confirmed = await confirmSignUp({
  username: request.username,
  confirmationCode: await newestCode(request.username),
});
result.confirmed = confirmed.isSignUpComplete;
const signedIn = await signIn({ username: request.username, password: request.password });
result.signedIn = signedIn.isSignedIn;
result.currentUser = (await getCurrentUser()).username;
const first = await fetchAuthSession();
const refreshed = await fetchAuthSession({ forceRefresh: true });
// A second refresh: with refresh token rotation on, only the refresh token the first refresh
// returned still works (the app client under test has no grace period).
const refreshedAgain = await fetchAuthSession({ forceRefresh: true });
result.refreshedAgainAccessToken = refreshedAgain.tokens.accessToken.toString();
result.idToken = first.tokens.idToken.toString();
result.accessToken = first.tokens.accessToken.toString();
result.refreshedAccessToken = refreshed.tokens.accessToken.toString();
result.refreshedIdToken = refreshed.tokens.idToken.toString();
await signOut();
const after = await fetchAuthSession();
result.signedOut = after.tokens === undefined;
process.stdout.write(JSON.stringify(result));
