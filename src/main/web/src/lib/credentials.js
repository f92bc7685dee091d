// The softphone's SIP credentials: what POST api/agent/sip-credentials answers, when to renew them, and what to
// tell the agent when that or the REGISTER fails. Kamailio checks them with auth_ephemeral: the username is
// "<expiry epoch seconds>:<dn>", the password an HMAC of it, so they stop working at expires_at by themselves.

import { DN_PATTERN } from './sip.js';

/** Credentials are renewed at this fraction of their lifetime: time to retry well before they expire. */
export const RENEW_AT = 0.8;

const MIN_RENEW_MS = 1000;

/** setTimeout's largest delay (about 24.8 days); longer would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Waits between failed attempts (the last one repeats), unless the service asks for longer (Retry-After). */
const RETRY_MS = [2000, 5000, 15000, 30000, 60000];

const MAX_RETRY_MS = 5 * 60 * 1000;

/** In place of an HTTP status: a 2xx answer without usable credentials. */
export const UNUSABLE = 'unusable';

/** The DN of an ephemeral SIP username: what follows the first ':' ("1795669700:5001" is 5001), or null. */
export function dnOfSipUsername(username) {
  if (typeof username !== 'string') {
    return null;
  }
  const colon = username.indexOf(':');
  if (colon < 1 || !/^[0-9]+$/.test(username.slice(0, colon))) {
    return null;
  }
  const dn = username.slice(colon + 1);
  return DN_PATTERN.test(dn) ? dn : null;
}

/**
 * The answer of POST api/agent/sip-credentials as the page uses it, or null when it is not what the contract
 * promises: {username, password, expiresAt (epoch s), realm, websocketUrl, dn}.
 */
export function parseSipCredentials(body) {
  if (!body || typeof body !== 'object') {
    return null;
  }
  const { username, password, expires_at: expiresAt, realm, websocket_url: websocketUrl } = body;
  const dn = dnOfSipUsername(username);
  if (dn === null || typeof password !== 'string' || password === '' || !Number.isFinite(expiresAt)
      || typeof websocketUrl !== 'string' || !/^wss?:\/\/./i.test(websocketUrl)) {
    return null;
  }
  return { username, password, expiresAt, realm: typeof realm === 'string' ? realm : null, websocketUrl, dn };
}

/**
 * Milliseconds until credentials expiring at expiresAt (epoch s) are renewed: at RENEW_AT of what is left of
 * their lifetime, measured on the service's clock when its Date header is known (a browser's clock may be off by
 * minutes), at least a second and never beyond what setTimeout can wait.
 */
export function renewalDelayMs(expiresAt, nowMs) {
  const left = expiresAt * 1000 - nowMs;
  return Math.min(MAX_TIMER_MS, Math.max(MIN_RENEW_MS, Math.floor(left * RENEW_AT)));
}

/** Milliseconds before attempt number `failures` (1 after the first failure) is retried; Retry-After wins if longer. */
export function retryDelayMs(failures, retryAfterSeconds) {
  const backoff = RETRY_MS[Math.min(Math.max(failures, 1), RETRY_MS.length) - 1];
  const asked = Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : 0;
  return Math.min(MAX_RETRY_MS, Math.max(backoff, asked));
}

/** Seconds a Retry-After header asks to wait (delta-seconds or an HTTP date), or null. */
export function retryAfterSeconds(value, nowMs) {
  if (typeof value !== 'string' || value.trim() === '') {
    return null;
  }
  if (/^[0-9]+$/.test(value.trim())) {
    return Number(value.trim());
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/**
 * Whether asking again can help: the service was busy or away, or its answer could not be used (UNUSABLE); not
 * when it refused the token (401, 403) or the request (4xx).
 */
export function isRetryable(status) {
  return status === null || status === UNUSABLE || status === 429 || status === 408 || status >= 500;
}

/**
 * Hands renewed credentials to a running JsSIP UA, whose next requests (the REGISTER refresh, the next INVITE)
 * answer Kamailio's challenges with them; false when the UA refuses one of them. JsSIP 3.13.8's UA.set() takes
 * authorization_user and password at run time and builds each request's digest from the UA's configuration, so
 * neither the UA nor a call that is up restarts (tested against the real JsSIP). The password also beats the ha1
 * JsSIP kept from the last challenge.
 */
export function handToUa(ua, credentials) {
  return ua.set('authorization_user', credentials.username) && ua.set('password', credentials.password);
}

/**
 * What the agent reads when getting SIP credentials failed, by HTTP status (null: no answer at all). retryInMs is
 * the wait before the next attempt when there will be one.
 */
export function credentialsFailureText(status, retryInMs) {
  const retry = retryInMs != null ? ` Trying again in ${Math.max(1, Math.round(retryInMs / 1000))} s.` : '';
  switch (status) {
    case 401:
      return 'Your agent token was refused or has expired (401): sign in again with a new token.';
    case 403:
      return 'This token may not sign in to the softphone (403): use an agent token issued for your own DN.';
    case 429:
      return `Too many requests to the service (429).${retry}`;
    case 503:
      return `The service cannot issue SIP credentials right now (503).${retry}`;
    case null:
      return `The service cannot be reached.${retry}`;
    case UNUSABLE:
      return `The service's answer held no usable SIP credentials.${retry}`;
    default:
      return status >= 500 ? `The service failed to issue SIP credentials (${status}).${retry}`
        : `The service refused the sign-in (${status}).${retry}`;
  }
}

/**
 * What the agent reads when the page's event stream gave up (it retries by itself after 429 and 5xx): without it no
 * click-to-dial is announced, so none is answered by itself; calls still ring.
 */
export function eventStreamFailureText(status) {
  const why = status === 401 ? 'the agent token was refused or has expired (401): sign in again'
    : status === 403 ? 'this token may not read events (403)' : `the service answered ${status}`;
  return `The event stream stopped: ${why}. Click-to-dial calls will ring instead of being answered by themselves.`;
}

/**
 * What the agent reads when Kamailio refused the REGISTER (after JsSIP answered its challenge). 401/407: the
 * credentials did not pass (expired, or the service and Kamailio disagree on the secret); 403: they are not for
 * this DN.
 */
export function registrationRefusedText(status, reason) {
  const answer = `${status} ${reason || ''}`.trim();
  if (status === 401 || status === 407) {
    return `Registration refused: Kamailio did not accept the SIP credentials (${answer}); fetching new ones.`;
  }
  if (status === 403) {
    return `Registration refused: Kamailio forbids this DN with these credentials (${answer}). Sign in again.`;
  }
  return `Registration failed: Kamailio answered ${answer}.`;
}
