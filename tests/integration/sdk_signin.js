// The website's own client, amazon-cognito-identity-js, driven from Node for the tests.
//
// Usage: node sdk_signin.js signup|confirm|signin < request.json
// request.json: {"endpoint", "userPoolId", "clientId", "username", "password", "email", "code"}
// Prints one line of JSON: {"ok": true, ...} or {"ok": false, "code", "message"}.
// Exits 0 whenever it printed an answer (a refused sign-in is an answer), 2 on a usage error.
"use strict";

const path = require("path");

const sdk = require(path.resolve(__dirname, "..", "..", "website", "node_modules",
                                 "amazon-cognito-identity-js"));

function print(result) {
  process.stdout.write(JSON.stringify(result) + "\n");
}

function failure(err) {
  return { ok: false, code: err.code || err.name, message: err.message };
}

function readStdin() {
  return new Promise((resolve, reject) => {
    let text = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk) => { text += chunk; });
    process.stdin.on("end", () => resolve(JSON.parse(text)));
    process.stdin.on("error", reject);
  });
}

function signUp(pool, req) {
  const attributes = [new sdk.CognitoUserAttribute({ Name: "email", Value: req.email })];
  return new Promise((resolve) => {
    pool.signUp(req.username, req.password, attributes, null, (err, result) => {
      if (err) return resolve(failure(err));
      resolve({
        ok: true,
        userConfirmed: result.userConfirmed,
        userSub: result.userSub,
        codeDeliveryDetails: result.codeDeliveryDetails,
      });
    });
  });
}

function confirm(pool, req) {
  const user = new sdk.CognitoUser({ Username: req.username, Pool: pool });
  return new Promise((resolve) => {
    user.confirmRegistration(req.code, true, (err, result) => {
      resolve(err ? failure(err) : { ok: true, result });
    });
  });
}

function signIn(pool, req) {
  const user = new sdk.CognitoUser({ Username: req.username, Pool: pool });
  const details = new sdk.AuthenticationDetails({ Username: req.username,
                                                   Password: req.password });
  return new Promise((resolve) => {
    user.authenticateUser(details, {
      onSuccess: (session) => resolve({
        ok: true,
        idToken: session.getIdToken().getJwtToken(),
        accessToken: session.getAccessToken().getJwtToken(),
        refreshToken: session.getRefreshToken().getToken(),
        idPayload: session.getIdToken().decodePayload(),
        valid: session.isValid(),
      }),
      onFailure: (err) => resolve(failure(err)),
      newPasswordRequired: () => resolve({ ok: false, code: "NewPasswordRequired",
                                           message: "a new password is required" }),
    });
  });
}

const ACTIONS = { signup: signUp, confirm, signin: signIn };

async function main() {
  const action = ACTIONS[process.argv[2]];
  if (!action) {
    process.stderr.write("usage: node sdk_signin.js signup|confirm|signin < request.json\n");
    process.exit(2);
  }
  const req = await readStdin();
  const pool = new sdk.CognitoUserPool({ UserPoolId: req.userPoolId, ClientId: req.clientId,
                                         endpoint: req.endpoint });
  print(await action(pool, req));
}

main().catch((err) => {
  process.stderr.write(String((err && err.stack) || err) + "\n");
  process.exit(1);
});
