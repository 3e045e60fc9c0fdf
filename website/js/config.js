// Written by the wildrydes kit (wildrydes up / notebook 03). Values come from
// your Cognito user pool; api.invokeUrl is kept when the kit rewrites this file.
window._config = {
    "cognito": {
        "userPoolId": "",
        "userPoolClientId": "",
        "region": ""
    },
    "api": {
        "invokeUrl": ""
    }
};
