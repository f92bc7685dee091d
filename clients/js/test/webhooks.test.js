import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { verifyWebhookSignature, signWebhook } from "../src/webhooks.js";

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
