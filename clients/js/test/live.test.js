// Against the real service: SIGNALING_API_URL (https://127.0.0.1:8443), SIGNALING_API_KEY (scope admin, or read +
// calls), optional SIGNALING_DN (a registered agent, default 5001), SIGNALING_LIVE_MAKE=1 to place and hang up a
// call from it (needs Asterisk, or the AMI double), SIGNALING_MAKE_TO (default 5551239001). Skipped without the URL.
// For a self-signed certificate: NODE_EXTRA_CA_CERTS=<its PEM>.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SignalingClient, SignalingApiError } from "../src/index.js";
import { waitFor } from "../testing/loopback.js";

const url = process.env.SIGNALING_API_URL;
const key = process.env.SIGNALING_API_KEY;
const dn = process.env.SIGNALING_DN ?? "5001";
const canMake = process.env.SIGNALING_LIVE_MAKE === "1";
const skip = url ? false : "SIGNALING_API_URL not set";
const client = url ? new SignalingClient({ baseUrl: url, apiKey: key }) : null;

test("health, open and authenticated", { skip }, async () => {
  const open = await new SignalingClient({ baseUrl: url, token: undefined }).health();
  assert.ok(["ok", "degraded"].includes(open.status));
  const health = await client.health();
  assert.equal(typeof health.uptime, "number");
  assert.ok(health.components.kamailio);
});

test("seed example 2: the agent's DN status", { skip }, async () => {
  const info = await client.getDn(dn);
  assert.equal(info.dn, dn);
  assert.ok(["available", "busy"].includes(info.status), info.status);
  assert.equal(info.registered, true);
});

test("seed example 5: DN list and active call count", { skip }, async () => {
  const { dns, count } = await client.listDns();
  assert.ok(dns.some((entry) => entry.dn === dn));
  assert.equal(count, dns.length);
  assert.equal(typeof (await client.activeCallCount()), "number");
  assert.ok(Array.isArray((await client.activeCalls()).calls));
});

test("seed example 3: the agent's calls; genesys status", { skip }, async () => {
  const calls = await client.getAgentCalls(dn);
  assert.equal(calls.dn, dn);
  assert.equal(calls.count, calls.active_calls.length);
  const genesys = await client.genesysStatus();
  assert.equal(typeof genesys.connected, "boolean");
  assert.equal(genesys.service, "wwe");
});

test("typed errors: 404, 400, 401", { skip }, async () => {
  await assert.rejects(client.getDn("5999"), (error) => error instanceof SignalingApiError && error.status === 404
    && error.message === "DN not found: 5999" && typeof error.requestId === "string");
  await assert.rejects(client.getDn("50 01"), { status: 400, code: "bad_request" });
  await assert.rejects(client.getCall("call-00000000000000000000000000000000"), { status: 404 });
  const stranger = new SignalingClient({ baseUrl: url, apiKey: "sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" });
  await assert.rejects(stranger.listDns(), { status: 401, code: "unauthorized" });
  await assert.rejects(client.clickToDial("", "1003"), { status: 400, message: "Missing required parameter: from" });
});

test("call history", { skip }, async () => {
  const history = await client.callHistory({ dn, limit: 5 });
  assert.ok(Array.isArray(history.calls));
  assert.ok(history.calls.length <= 5);
});

test("seed examples 1 and 4: click-to-dial (idempotent), events, resume, hang-up", { skip: skip || (!canMake && "SIGNALING_LIVE_MAKE not 1") }, async () => {
  const events = [];
  let opened = false;
  const sub = client.subscribe({ type: "call.*", onOpen: () => { opened = true; }, onEvent: (event) => events.push(event) });
  try {
    await waitFor(() => opened, 10_000);
    const to = process.env.SIGNALING_MAKE_TO ?? "5551239001";
    const key = `js-live-${crypto.randomUUID()}`;
    const made = await client.clickToDial(dn, to, { idempotencyKey: key, timeout: 20 });
    assert.equal(made.status, "initiated");
    assert.equal(made.replayed, false);
    const again = await client.clickToDial(dn, to, { idempotencyKey: key, timeout: 20 });
    assert.equal(again.call_id, made.call_id);
    assert.equal(again.replayed, true);

    const record = await client.getCall(made.call_id);
    assert.equal(record.call_id, made.call_id);
    assert.equal(record.origin, "api");
    const mine = () => events.filter((event) => event.data?.call_id === made.call_id);
    await waitFor(() => mine().some((event) => event.type === "call.initiated"), 15_000);

    assert.deepEqual(await client.hangup(made.call_id), { status: "terminated", call_id: made.call_id });
    await waitFor(() => mine().some((event) => event.type === "call.ended"), 15_000);

    // Resume after the first event of the call: everything after it comes again, in order.
    const seen = mine();
    const resumed = [];
    const sub2 = client.subscribe({ type: "call.*", lastEventId: seen[0].id, onEvent: (event) => resumed.push(event) });
    try {
      await waitFor(() => resumed.some((event) => event.id === seen.at(-1).id), 15_000);
      const resumedMine = resumed.filter((event) => event.data?.call_id === made.call_id).map((event) => event.id);
      assert.deepEqual(resumedMine, seen.slice(1).map((event) => event.id));
    } finally {
      sub2.close();
    }
  } finally {
    sub.close();
    await sub.closed;
  }
});
