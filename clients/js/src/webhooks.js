/**
 * Verifying the service's webhook requests in Node receivers (@signaling-api/client/webhooks).
 *
 * Standard Webhooks (https://www.standardwebhooks.com/), what new receivers verify: webhook-id (the event id, the
 * same on every retry), webhook-timestamp (unix seconds) and webhook-signature, a space-separated list of
 * "v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>" (two entries while a secret is being rotated).
 *
 * Deprecated, still sent: X-Signaling-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)> with
 * X-Signaling-Timestamp.
 *
 * node:crypto is imported lazily, so importing this module in a browser bundle does not fail; calling it there does.
 */

let nodeCrypto;

async function crypto() {
  nodeCrypto ??= await import("node:crypto");
  return nodeCrypto;
}

const SECRET_PREFIX = "whsec_";
const STANDARD_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE_BASE64 = /^[A-Za-z0-9_-]*={0,2}$/;
// 32 bytes of HMAC-SHA256 in standard base64, always padded
const SIGNATURE_VALUE = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Verifies a Standard Webhooks request (webhook-id, webhook-timestamp, webhook-signature).
 *
 * @param {object} options secret or secrets (a string or several, e.g. old and new during your own rotation),
 *   body (the raw request body: Buffer, Uint8Array, ArrayBuffer or string, before any JSON parsing), headers (a
 *   plain object such as Node's req.headers, names in any case, or a fetch Headers instance), toleranceSeconds
 *   (default 300, either direction), now (ms, for tests)
 * @returns {Promise<boolean>} true when the timestamp is within the tolerance and a v1 entry matches a secret;
 *   false for anything malformed. Throws only when no secret is given.
 */
export async function verifyStandardWebhook({ secret, secrets, body, headers, toleranceSeconds = 300, now = Date.now() }) {
  const keys = configuredSecrets(secret, secrets).map(standardKey);
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signature = header(headers, "webhook-signature");
  if (id == null || id.length === 0 || timestamp == null || signature == null || !isBody(body)) return false;
  if (!fresh(timestamp, toleranceSeconds, now)) return false;
  const given = signature.split(" ")
    .filter((entry) => entry.startsWith("v1,") && SIGNATURE_VALUE.test(entry.slice(3)))
    .map((entry) => Buffer.from(entry.slice(3), "base64"));
  if (given.length === 0) return false;
  const { createHmac, timingSafeEqual } = await crypto();
  let valid = false;
  for (const key of keys) {
    const expected = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(toBytes(body)).digest();
    for (const candidate of given) {
      // no early exit: every comparison is made, each in constant time
      valid = timingSafeEqual(candidate, expected) || valid;
    }
  }
  return valid;
}

/**
 * The webhook-signature value the service would send (for receivers' own tests): "v1,<base64>".
 *
 * @param {object} options secret, id (webhook-id), timestamp (webhook-timestamp, unix seconds), body (raw)
 * @returns {Promise<string>}
 */
export async function signStandardWebhook({ secret, id, timestamp, body }) {
  const [key] = configuredSecrets(secret).map(standardKey);
  const { createHmac } = await crypto();
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.`).update(toBytes(body)).digest("base64")}`;
}

/**
 * The HMAC key of a secret, the same rule as the service's and the Java client's: "whsec_" followed by base64 is
 * the decoded bytes, as Standard Webhooks defines its secrets. The URL-safe alphabet is accepted too, because older
 * releases generated "whsec_" + unpadded base64url: with the standard alphabet alone, whether such a secret is
 * decoded would depend on whether its random characters happen to include "-" or "_". Anything else is a secret
 * someone picked by hand, never meant as base64: its key is the UTF-8 of the whole string. Padding is optional but
 * must be right when present, and one alphabet per secret, exactly what java.util.Base64's decoders accept.
 */
function standardKey(secret) {
  if (secret.startsWith(SECRET_PREFIX)) {
    const encoded = secret.slice(SECRET_PREFIX.length);
    const data = encoded.replace(/=+$/, "");
    const padding = encoded.length - data.length;
    const wellFormed = (STANDARD_BASE64.test(encoded) || URL_SAFE_BASE64.test(encoded))
      && data.length >= 2 && data.length % 4 !== 1 && (padding === 0 || encoded.length % 4 === 0);
    if (wellFormed) {
      return Buffer.from(data, STANDARD_BASE64.test(encoded) ? "base64" : "base64url");
    }
  }
  return Buffer.from(secret, "utf8");
}

/**
 * Verifies the deprecated X-Signaling-Signature / X-Signaling-Timestamp headers.
 *
 * @deprecated The service also sends Standard Webhooks headers: use verifyStandardWebhook.
 * @param {object} options secret or secrets (a string or several, e.g. old and new during your own rotation),
 *   body (the raw request body: Buffer, Uint8Array or string, before any JSON parsing), timestamp
 *   (X-Signaling-Timestamp), signature (X-Signaling-Signature), toleranceSeconds (default 300), now (ms, for tests)
 * @returns {Promise<boolean>} true when the timestamp is within the tolerance and a v1= value matches a secret
 */
export async function verifyWebhookSignature({ secret, secrets, body, timestamp, signature, toleranceSeconds = 300, now = Date.now() }) {
  const keys = configuredSecrets(secret, secrets);
  if (typeof timestamp !== "string" && typeof timestamp !== "number") return false;
  if (typeof signature !== "string" || body == null) return false;
  const seconds = String(timestamp).trim();
  if (!fresh(seconds, toleranceSeconds, now)) return false;
  const given = signature.split(",").map((part) => part.trim())
    .filter((part) => part.startsWith("v1=") && /^[0-9a-fA-F]{64}$/.test(part.slice(3)))
    .map((part) => Buffer.from(part.slice(3), "hex"));
  if (given.length === 0) return false;
  const { createHmac, timingSafeEqual } = await crypto();
  let valid = false;
  for (const key of keys) {
    const expected = createHmac("sha256", key).update(`${seconds}.`).update(toBytes(body)).digest();
    for (const candidate of given) {
      // no early exit: every comparison is made, each in constant time
      valid = timingSafeEqual(candidate, expected) || valid;
    }
  }
  return valid;
}

/**
 * The X-Signaling-Signature value the service would send (for receivers' own tests).
 *
 * @deprecated Use signStandardWebhook.
 */
export async function signWebhook({ secret, body, timestamp }) {
  const { createHmac } = await crypto();
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.`).update(toBytes(body)).digest("hex")}`;
}

function configuredSecrets(secret, secrets) {
  const list = [secret, ...(Array.isArray(secrets) ? secrets : [])]
    .filter((value) => typeof value === "string" && value.length > 0);
  if (list.length === 0) throw new TypeError("secret or secrets is required");
  return list;
}

function fresh(timestamp, toleranceSeconds, now) {
  // too old or from the future: a replay
  return /^\d{1,12}$/.test(timestamp) && Math.abs(now / 1000 - Number(timestamp)) <= toleranceSeconds;
}

// A header's value, or null when it is missing, not a string, or named twice in different cases (ambiguous).
function header(headers, name) {
  if (headers == null || typeof headers !== "object") return null;
  if (typeof headers.get === "function") {
    const value = headers.get(name);
    return typeof value === "string" ? value : null;
  }
  const values = Object.keys(headers).filter((key) => key.toLowerCase() === name).map((key) => headers[key]);
  return values.length === 1 && typeof values[0] === "string" ? values[0] : null;
}

function isBody(body) {
  return typeof body === "string" || body instanceof Uint8Array || body instanceof ArrayBuffer;
}

function toBytes(body) {
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError("body must be the raw request body (Buffer, Uint8Array, ArrayBuffer or string)");
}
