/**
 * Verifying the service's webhook requests in Node receivers (@signaling-api/client/webhooks).
 *
 * X-Signaling-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>, with a second v1= value while a
 * secret is being rotated; X-Signaling-Timestamp: unix seconds. node:crypto is imported lazily, so importing this
 * module in a browser bundle does not fail; calling it there does.
 */

let nodeCrypto;

async function crypto() {
  nodeCrypto ??= await import("node:crypto");
  return nodeCrypto;
}

/**
 * @param {object} options secret or secrets (a string or several, e.g. old and new during your own rotation),
 *   body (the raw request body: Buffer, Uint8Array or string, before any JSON parsing), timestamp
 *   (X-Signaling-Timestamp), signature (X-Signaling-Signature), toleranceSeconds (default 300), now (ms, for tests)
 * @returns {Promise<boolean>} true when the timestamp is within the tolerance and a v1= value matches a secret
 */
export async function verifyWebhookSignature({ secret, secrets, body, timestamp, signature, toleranceSeconds = 300, now = Date.now() }) {
  const keys = [secret, ...(secrets ?? [])].filter((value) => typeof value === "string" && value.length > 0);
  if (keys.length === 0) throw new TypeError("secret or secrets is required");
  if (typeof timestamp !== "string" && typeof timestamp !== "number") return false;
  if (typeof signature !== "string" || body == null) return false;
  const seconds = String(timestamp).trim();
  if (!/^\d{1,12}$/.test(seconds)) return false;
  if (Math.abs(now / 1000 - Number(seconds)) > toleranceSeconds) return false; // too old or from the future: a replay
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

/** The header value the service would send for this body (for receivers' own tests). */
export async function signWebhook({ secret, body, timestamp }) {
  const { createHmac } = await crypto();
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.`).update(toBytes(body)).digest("hex")}`;
}

function toBytes(body) {
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError("body must be the raw request body (Buffer, Uint8Array, ArrayBuffer or string)");
}
