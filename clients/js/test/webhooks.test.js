import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { verifyWebhookSignature, signWebhook, verifyStandardWebhook, signStandardWebhook } from "../src/webhooks.js";

const body = Buffer.from('{"id":"evt-1","type":"call.ended","data":{"call_id":"call-1"}}');
const timestamp = "1764151267";
const now = Number(timestamp) * 1000;
const hex = (secret, b = body) => createHmac("sha256", secret).update(`${timestamp}.`).update(b).digest("hex");

test("accepts the service's signature, computed independently", async () => {
  assert.equal(await verifyWebhookSignature({ secret: "whsec_new", body, timestamp, signature: `v1=${hex("whsec_new")}`, now }), true);
  assert.equal(await verifyWebhookSignature({ secret: "whsec_new", body: body.toString(), timestamp: Number(timestamp), signature: `v1=${hex("whsec_new")}`, now }), true);
  assert.equal(await signWebhook({ secret: "whsec_new", body, timestamp }), `v1=${hex("whsec_new")}`);
});

test("accepts either of the two v1= values during a rotation, and either of the receiver's secrets", async () => {
  const signature = `v1=${hex("whsec_new")},v1=${hex("whsec_old")}`;
  assert.equal(await verifyWebhookSignature({ secret: "whsec_old", body, timestamp, signature, now }), true);
  assert.equal(await verifyWebhookSignature({ secret: "whsec_new", body, timestamp, signature, now }), true);
  assert.equal(await verifyWebhookSignature({ secrets: ["whsec_other", "whsec_old"], body, timestamp, signature: `v1=${hex("whsec_old")}`, now }), true);
});

test("rejects a wrong secret, a changed body, a stale or future timestamp, and malformed headers", async () => {
  const signature = `v1=${hex("whsec_new")}`;
  assert.equal(await verifyWebhookSignature({ secret: "whsec_other", body, timestamp, signature, now }), false);
  assert.equal(await verifyWebhookSignature({ secret: "whsec_new", body: Buffer.concat([body, Buffer.from(" ")]), timestamp, signature, now }), false);
  assert.equal(await verifyWebhookSignature({ secret: "whsec_new", body, timestamp, signature, now: now + 301_000 }), false);
  assert.equal(await verifyWebhookSignature({ secret: "whsec_new", body, timestamp, signature, now: now - 301_000 }), false);
  assert.equal(await verifyWebhookSignature({ secret: "whsec_new", body, timestamp, signature, now: now + 299_000 }), true);
  assert.equal(await verifyWebhookSignature({ secret: "whsec_new", body, timestamp, signature, now: now + 10_000, toleranceSeconds: 5 }), false);
  for (const bad of [undefined, "", "v1=", "v0=" + hex("whsec_new"), hex("whsec_new"), "v1=zz", `v1=${hex("whsec_new").slice(2)}`]) {
    assert.equal(await verifyWebhookSignature({ secret: "whsec_new", body, timestamp, signature: bad, now }), false, String(bad));
  }
  for (const badTs of [undefined, "", "abc", "1.5", "-1"]) {
    assert.equal(await verifyWebhookSignature({ secret: "whsec_new", body, timestamp: badTs, signature, now }), false, String(badTs));
  }
  await assert.rejects(verifyWebhookSignature({ body, timestamp, signature, now }), TypeError);
});

// Standard Webhooks: the known-answer vector published with the specification (Svix's libraries test it too)
const vector = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: "1614265330",
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
const vectorNow = Number(vector.timestamp) * 1000;
const standardHeaders = (signature = vector.signature, extra = {}) => ({
  "webhook-id": vector.id, "webhook-timestamp": vector.timestamp, "webhook-signature": signature, ...extra,
});
const standardB64 = (keyHex, b = vector.body, id = vector.id, ts = vector.timestamp) =>
  createHmac("sha256", Buffer.from(keyHex, "hex")).update(`${id}.${ts}.${b}`).digest("base64");
const verifyVector = (options) => verifyStandardWebhook({ secret: vector.secret, body: vector.body,
  headers: standardHeaders(), now: vectorNow, ...options });

test("standard: reproduces and accepts the specification's known-answer vector", async () => {
  assert.equal(await signStandardWebhook(vector), vector.signature);
  assert.equal(await verifyVector({}), true);
  assert.equal(await verifyVector({ body: Buffer.from(vector.body) }), true);
  assert.equal(await verifyVector({ body: new TextEncoder().encode(vector.body).buffer }), true);
});

test("standard: header names in any case, and fetch Headers", async () => {
  const mixed = { "Webhook-Id": vector.id, "WEBHOOK-TIMESTAMP": vector.timestamp, "webhook-Signature": vector.signature };
  assert.equal(await verifyVector({ headers: mixed }), true);
  assert.equal(await verifyVector({ headers: new Headers(mixed) }), true);
  // the same header twice in different cases: ambiguous, so refused
  assert.equal(await verifyVector({ headers: { ...mixed, "webhook-signature": "v1,AAAA" } }), false);
});

test("standard: rejects a tampered body, a wrong secret, another id or timestamp", async () => {
  assert.equal(await verifyVector({ body: '{"test": 2432232315}' }), false);
  assert.equal(await verifyVector({ body: `${vector.body} ` }), false);
  assert.equal(await verifyVector({ secret: "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }), false);
  assert.equal(await verifyVector({ secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx" }), false);
  assert.equal(await verifyVector({ headers: standardHeaders(undefined, { "webhook-id": "msg_other" }) }), false);
  const later = String(Number(vector.timestamp) + 1);
  assert.equal(await verifyVector({ headers: standardHeaders(undefined, { "webhook-timestamp": later }) }), false);
});

test("standard: rejects stale and future timestamps beyond the tolerance, either direction", async () => {
  assert.equal(await verifyVector({ now: vectorNow + 300_000 }), true);
  assert.equal(await verifyVector({ now: vectorNow - 300_000 }), true);
  assert.equal(await verifyVector({ now: vectorNow + 301_000 }), false);
  assert.equal(await verifyVector({ now: vectorNow - 301_000 }), false);
  assert.equal(await verifyVector({ now: vectorNow + 10_000, toleranceSeconds: 5 }), false);
  assert.equal(await verifyStandardWebhook({ secret: vector.secret, body: vector.body, headers: standardHeaders() }), false);
});

test("standard: two signatures during a rotation, and several secrets on the receiver's side", async () => {
  const other = "whsec_" + Buffer.alloc(24, 7).toString("base64");
  const otherSignature = await signStandardWebhook({ ...vector, secret: other });
  const both = `${otherSignature} ${vector.signature}`;
  assert.equal(await verifyVector({ headers: standardHeaders(both) }), true);
  assert.equal(await verifyVector({ secret: other, headers: standardHeaders(both) }), true);
  assert.equal(await verifyVector({ secret: undefined, secrets: ["whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", vector.secret] }), true);
  assert.equal(await verifyVector({ secret: "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", headers: standardHeaders(both) }), false);
  // entries of other schemes (v1a: asymmetric) are skipped, not fatal
  assert.equal(await verifyVector({ headers: standardHeaders(`v1a,AAAA ${vector.signature}`) }), true);
});

test("standard: garbage headers are false, never an exception; only a missing secret throws", async () => {
  const b64 = vector.signature.slice(3);
  for (const bad of [undefined, null, "", " ", "v1,", "v1", b64, `v1=${b64}`, `v2,${b64}`, `v1,${b64.slice(1)}`,
    `v1,${b64.replace("+", "-")}`, `v1,${b64.slice(0, -1)}`, `v1,${b64}=`, `V1,${b64}`, `v1, ${b64}`, `v1,${b64},x`,
    `v1,${"A".repeat(10_000)}`, 42, ["v1", b64]]) {
    assert.equal(await verifyVector({ headers: standardHeaders(undefined, { "webhook-signature": bad }) }), false, String(bad));
  }
  for (const bad of [undefined, "", "abc", "1.5", "-1", " 1614265330", "1614265330 ", "16142653300000000", "１６１４２６５３３０", 1614265330]) {
    assert.equal(await verifyVector({ headers: standardHeaders(undefined, { "webhook-timestamp": bad }) }), false, String(bad));
  }
  for (const bad of [undefined, ""]) {
    assert.equal(await verifyVector({ headers: standardHeaders(undefined, { "webhook-id": bad }) }), false, String(bad));
  }
  for (const headers of [undefined, null, "webhook-id: x", {}, []]) {
    assert.equal(await verifyVector({ headers }), false, String(headers));
  }
  for (const body of [undefined, null, 42, { test: 2432232314 }]) {
    assert.equal(await verifyVector({ body }), false, String(body));
  }
  await assert.rejects(verifyVector({ secret: undefined }), TypeError);
  await assert.rejects(verifyVector({ secret: "" }), TypeError);
  await assert.rejects(signStandardWebhook({ ...vector, secret: undefined }), TypeError);
});

// The key rule, the same table as the Java client's WebhookSignaturesTests: the secret, then the HMAC key in hex
// (null: the UTF-8 bytes of the whole secret, a hand-picked one)
const keys = [
  [vector.secret, "31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0"],
  // generated by older releases: base64url without padding
  ["whsec_-_-_ABEiM0RVZneImaq7zN3u__vv_wECAwQFBgcICQo",
    "fbffbf00112233445566778899aabbccddeefffbefff0102030405060708090a"],
  ["whsec_QUI=", "4142"],
  ["whsec_QUI", "4142"],
  ["whsec_QUJDRA==", "41424344"],
  ["my-hand-picked-secret-123", null],
  ["whsec_my hand-picked secret", null],
  ["whsec_", null],
  ["whsec_==", null],
  ["whsec_ab+c-d__", null], // two alphabets at once
  ["whsec_QUJD=", null], // padding where none belongs
  ["whsec_QUI==", null],
  ["whsec_QUJDR", null], // 4n+1 characters encode no whole byte
  ["WHSEC_QUJD", null],
];

test("standard: whsec_ + base64 (either alphabet, padding optional) is decoded, any other secret is its UTF-8", async () => {
  for (const [secret, keyHex] of keys) {
    const key = keyHex ?? Buffer.from(secret, "utf8").toString("hex");
    const expected = `v1,${standardB64(key)}`;
    assert.equal(await signStandardWebhook({ ...vector, secret }), expected, secret);
    assert.equal(await verifyVector({ secret, headers: standardHeaders(expected) }), true, secret);
  }
});
