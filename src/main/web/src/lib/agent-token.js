// Where the softphone's agent token may come from, and what the page takes for one. The token is a credential:
// the page keeps it in memory only (never in localStorage or sessionStorage, a URL, the DOM or a log line).

/** RFC 6750's b64token: what a Bearer credential may look like (a JWT is three base64url parts). */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

const MIN_TOKEN_LENGTH = 16;
const MAX_TOKEN_LENGTH = 8192;

/** The message a host page (WWE) sends to hand the softphone its token: {type, token}. */
export const TOKEN_MESSAGE_TYPE = 'signaling-agent-token';

/** What the softphone tells its host page: it listens for tokens now, or it needs a new one (401). */
export const READY_MESSAGE_TYPE = 'signaling-agent-ready';
export const TOKEN_NEEDED_MESSAGE_TYPE = 'signaling-agent-token-needed';

/**
 * A token as typed, pasted or handed over, or null when it cannot be one: surrounding blanks and a "Bearer "
 * someone copied with it are dropped; anything outside the b64token characters (blanks inside, quotes, line
 * breaks) is refused rather than sent.
 */
export function normalizeToken(text) {
  if (typeof text !== 'string') {
    return null;
  }
  const token = text.trim().replace(/^Bearer\s+/i, '');
  return token.length >= MIN_TOKEN_LENGTH && token.length <= MAX_TOKEN_LENGTH && B64TOKEN.test(token) ? token : null;
}

/** Whether a credential is an API key (sk_...): those are for servers; the softphone signs in with agent tokens. */
export function isApiKey(token) {
  return typeof token === 'string' && token.startsWith('sk_');
}

/**
 * Takes "token=..." out of a URL fragment ("#token=eyJ...&other=1"). found: whether the fragment named a token at
 * all (even one that is not valid: it must leave the address bar all the same); token: the token or null;
 * fragment: what the address bar keeps ("" when nothing is left, else "#other=1").
 */
export function takeTokenFromFragment(hash) {
  const text = typeof hash === 'string' ? hash.replace(/^#/, '') : '';
  const rest = [];
  let raw = null;
  for (const part of text.split('&')) {
    if (part.startsWith('token=')) {
      raw = raw === null ? part.slice('token='.length) : raw;
    }
    else if (part) {
      rest.push(part);
    }
  }
  if (raw === null) {
    return { found: false, token: null, fragment: typeof hash === 'string' ? hash : '' };
  }
  let decoded = null;
  try {
    decoded = decodeURIComponent(raw);
  }
  catch (error) {
    // a broken %-escape: not a token
  }
  return { found: true, token: normalizeToken(decoded), fragment: rest.length ? `#${rest.join('&')}` : '' };
}

/**
 * The token a host page hands over with window.postMessage, or null for every other message: the sender's origin
 * must be one of allowedOrigins exactly (signaling.pages.frame-ancestors, served as embed_origins), and the data
 * exactly {type: "signaling-agent-token", token: "<string>"} (other fields are ignored).
 */
export function tokenFromMessage(event, allowedOrigins) {
  const { origin, data } = event || {};
  if (typeof origin !== 'string' || !Array.isArray(allowedOrigins) || !allowedOrigins.includes(origin)) {
    return null;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data) || data.type !== TOKEN_MESSAGE_TYPE
      || typeof data.token !== 'string') {
    return null;
  }
  return normalizeToken(data.token);
}
