/**
 * The site's configuration: window._config as js/config.js (written by the kit, a classic
 * script loaded before any module) leaves it, read once and checked.
 */

/** The trimmed string, or '' for anything that is not a string. */
export function text(value) {
  return typeof value === 'string' ? value.trim() : '';
}

/** The URL if it is http(s), else '' (never a javascript: or data: link). */
export function safeHttpUrl(value) {
  if (!value) return '';
  try {
    const url = new URL(value, window.location.href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '';
  } catch (e) {
    return '';
  }
}

/** What the pages need from window._config, with '' for anything missing. */
export function readConfig(raw = window._config) {
  const cfg = raw && typeof raw === 'object' ? raw : null;
  const cognito = (cfg && cfg.cognito) || {};
  const api = (cfg && cfg.api) || {};
  const local = (cfg && cfg.local) || {};
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

/** The configuration this page loaded with. */
export const config = readConfig();
