import { test, after } from "node:test";
import assert from "node:assert/strict";
import { SignalingClient, SignalingApiError, SignalingNetworkError } from "../src/index.js";
import { server, json } from "../testing/loopback.js";

const servers = [];
async function start(handler) {
  const s = await server(handler);
  servers.push(s);
  return s;
}
after(() => Promise.all(servers.map((s) => s.close())));

test("sends the API key, the bearer token, or a token from getToken", async () => {
  const s = await start((req, res) => json(res, 200, { dn: "5001", status: "available" }));
  await new SignalingClient({ baseUrl: s.url, apiKey: "sk_a" }).getDn("5001");
  await new SignalingClient({ baseUrl: s.url, token: "jwt-1" }).getDn("5001");
  let n = 0;
  await new SignalingClient({ baseUrl: `${s.url}/api/`, getToken: async () => `jwt-${++n}` }).getDn("5001");
  assert.equal(s.requests[0].headers["x-api-key"], "sk_a");
  assert.equal(s.requests[0].headers.authorization, undefined);
  assert.equal(s.requests[1].headers.authorization, "Bearer jwt-1");
  assert.equal(s.requests[2].headers.authorization, "Bearer jwt-1");
  assert.equal(s.requests[2].url, "/api/dn/5001");
  assert.throws(() => new SignalingClient({ baseUrl: s.url, apiKey: "a", token: "b" }), TypeError);
});

test("paths, encoding and filters", async () => {
  const s = await start((req, res) => json(res, 200, { active_calls: 3, timestamp: "1" }));
  const client = new SignalingClient({ baseUrl: s.url, apiKey: "k" });
  await client.getDn("#5001");
  await client.getAgentCalls("5001");
  await client.listDns();
  assert.equal(await client.activeCallCount(), 3);
  await client.getCall("call-1");
  await client.callHistory({ dn: "5001", since: "2026-11-26T00:00:00Z", limit: 5, cursor: undefined });
  await client.health();
  await client.route("#5001");
  await client.selectRoute(["5001", "5002"], { strategy: "least_busy" });
  await client.selectRoute(["5003"]);
  await client.callsOfGenesysInteraction("0ADGKUB0K4BQR4N5N7C2B2LAES00000E");
  assert.deepEqual(s.requests.map((r) => r.url), ["/api/dn/%235001", "/api/calls/dn/5001", "/api/dn/list",
    "/api/calls/active", "/api/calls/call-1", "/api/calls/history?dn=5001&since=2026-11-26T00%3A00%3A00Z&limit=5",
    "/api/health", "/api/routing/dn/%235001", "/api/routing/select?candidates=5001%2C5002&strategy=least_busy",
    "/api/routing/select?candidates=5003", "/api/calls?genesys_call_uuid=0ADGKUB0K4BQR4N5N7C2B2LAES00000E"]);
});

test("errors are typed: status, the server's error, body, request id, retry-after", async () => {
  const s = await start((req, res, n) => {
    if (n === 1) json(res, 404, { error: "DN not found: 5999" }, { "X-Request-Id": "req-1" });
    else if (n === 2) json(res, 429, { error: "Rate limit exceeded" }, { "Retry-After": "7" });
    else { res.writeHead(502, { "Content-Type": "text/html" }); res.end("<html>bad gateway</html>"); }
  });
  const client = new SignalingClient({ baseUrl: s.url, apiKey: "k" });
  await assert.rejects(client.getDn("5999"), (error) => {
    assert.ok(error instanceof SignalingApiError);
    assert.equal(error.status, 404);
    assert.equal(error.code, "not_found");
    assert.equal(error.message, "DN not found: 5999");
    assert.deepEqual(error.body, { error: "DN not found: 5999" });
    assert.equal(error.requestId, "req-1");
    return true;
  });
  await assert.rejects(client.listDns(), { code: "rate_limited", retryAfter: 7 });
  await assert.rejects(client.listDns(), { status: 502, message: "HTTP 502", body: "<html>bad gateway</html>" });
  assert.equal(s.requests.length, 3, "HTTP errors are never retried");
});

test("genesysStatus resolves the 503 with connected:false; other 503s throw", async () => {
  const unreachable = { connected: false, server: "127.0.0.1:9", service: "wwe", status: "unreachable", error: "Genesys server unreachable" };
  const s = await start((req, res, n) => (n === 1 ? json(res, 503, unreachable) : json(res, 503, { error: "Kamailio unreachable" })));
  const client = new SignalingClient({ baseUrl: s.url, apiKey: "k" });
  assert.deepEqual(await client.genesysStatus(), unreachable);
  await assert.rejects(client.genesysStatus(), { status: 503, message: "Kamailio unreachable" });
});

test("a network error is a SignalingNetworkError, retried for reads", async () => {
  const s = await start((req, res, n) => (n < 3 ? req && res.socket.destroy() : json(res, 200, { dns: [], count: 0 })));
  const client = new SignalingClient({ baseUrl: s.url, apiKey: "k", retryDelayMs: 5 });
  assert.deepEqual(await client.listDns(), { dns: [], count: 0 });
  assert.equal(s.requests.length, 3);
  const refused = new SignalingClient({ baseUrl: "http://127.0.0.1:9", apiKey: "k", retries: 0 });
  await assert.rejects(refused.health(), (error) => error instanceof SignalingNetworkError && error.code === "network");
});

test("timeoutMs gives a timeout error", async () => {
  const s = await start(() => {}); // never answers
  const client = new SignalingClient({ baseUrl: s.url, apiKey: "k", timeoutMs: 100, retries: 0 });
  await assert.rejects(client.health(), (error) => error instanceof SignalingNetworkError && error.timeout === true);
});

test("clickToDial reuses its Idempotency-Key on its retry, and a new call gets a new key", async () => {
  const s = await start((req, res, n) => {
    if (n === 1) {
      res.socket.destroy(); // the request reached the service, the answer was lost
      return;
    }
    json(res, 202, { status: "initiated", from: "5001", to: "1003", call_id: "call-1" },
      n === 2 ? { "Idempotent-Replayed": "true" } : {});
  });
  const client = new SignalingClient({ baseUrl: s.url, apiKey: "k", retryDelayMs: 5 });
  const made = await client.clickToDial("5001", "1003", { auto_answer: true, caller_id: "+18005550100", timeout: 20 });
  assert.equal(made.call_id, "call-1");
  assert.equal(made.replayed, true);
  const [first, retry] = s.requests;
  assert.equal(first.method, "POST");
  assert.equal(first.url, "/api/call/make");
  assert.match(first.headers["idempotency-key"], /^[0-9a-f-]{36}$/);
  assert.equal(retry.headers["idempotency-key"], first.headers["idempotency-key"]);
  assert.equal(made.idempotency_key, first.headers["idempotency-key"]);
  assert.deepEqual(JSON.parse(first.body), { from: "5001", to: "1003", auto_answer: true, caller_id: "+18005550100", timeout: 20 });
  assert.equal(first.headers["content-type"], "application/json");

  const next = await client.clickToDial("5001", "1003");
  assert.equal(next.replayed, false);
  assert.notEqual(s.requests[2].headers["idempotency-key"], first.headers["idempotency-key"]);
  await client.clickToDial("5001", "1003", { idempotencyKey: "wwe-click-42" });
  assert.equal(s.requests[3].headers["idempotency-key"], "wwe-click-42");
});

test("call control: paths, bodies, one Idempotency-Key per request kept on its retry, and a 409 explained", async () => {
  const s = await start((req, res, n) => {
    if (n === 1) {
      res.socket.destroy(); // the hold reached the service, the answer was lost
      return;
    }
    if (req.url.endsWith("/unhold")) {
      json(res, 409, { error: "Call sip-1@pc needs Asterisk in the media path" });
      return;
    }
    json(res, 200, { call_id: "call-1", transfer_id: "tr-1", monitor_id: "mon-1" }, n === 2 ? { "Idempotent-Replayed": "true" } : {});
  });
  const client = new SignalingClient({ baseUrl: s.url, apiKey: "k", retryDelayMs: 5 });
  assert.equal((await client.hold("call-1")).replayed, true);
  await client.sendDtmf("call-1", "12#", { durationMs: 150 });
  await client.mute("call-1", "in", "on");
  await client.recording("call-1", "pause");
  await client.transfer("call-1", "5002", { mode: "attended", timeout: 20, idempotencyKey: "wwe-tr-1" });
  await client.getTransfer("tr-1");
  await client.completeTransfer("tr-1");
  await client.cancelTransfer("tr-1");
  await client.monitor("call-1", "5009", "whisper");
  await client.setMonitorMode("mon-1", "barge");
  await client.endMonitor("mon-1");
  await assert.rejects(client.unhold("sip-1@pc"), { status: 409, message: "Call sip-1@pc needs Asterisk in the media path" });

  const [lost, retry, ...rest] = s.requests;
  assert.equal(retry.headers["idempotency-key"], lost.headers["idempotency-key"]);
  assert.deepEqual(rest.map((r) => `${r.method} ${r.url}`), [
    "POST /api/calls/call-1/dtmf", "POST /api/calls/call-1/mute", "POST /api/calls/call-1/recording",
    "POST /api/calls/call-1/transfers", "GET /api/transfers/tr-1", "POST /api/transfers/tr-1/complete",
    "DELETE /api/transfers/tr-1", "POST /api/calls/call-1/monitors", "PATCH /api/monitors/mon-1",
    "DELETE /api/monitors/mon-1", "POST /api/calls/sip-1%40pc/unhold"]);
  assert.deepEqual(JSON.parse(rest[0].body), { digits: "12#", duration_ms: 150 });
  assert.deepEqual(JSON.parse(rest[1].body), { direction: "in", state: "on" });
  assert.deepEqual(JSON.parse(rest[3].body), { to: "5002", mode: "attended", timeout: 20 });
  assert.equal(rest[3].headers["idempotency-key"], "wwe-tr-1");
  assert.deepEqual(JSON.parse(rest[7].body), { supervisor_dn: "5009", mode: "whisper" });
  assert.deepEqual(JSON.parse(rest[8].body), { mode: "barge" });
  assert.equal(rest[4].headers["idempotency-key"], undefined, "a read sends no key");
  assert.notEqual(rest[5].headers["idempotency-key"], rest[6].headers["idempotency-key"]);
});

test("clickToDial does not retry an HTTP error (a refused 503 holds no key: retrying is the caller's choice)", async () => {
  const s = await start((req, res) => json(res, 503, { error: "Asterisk unreachable" }, { "Retry-After": "2" }));
  const client = new SignalingClient({ baseUrl: s.url, apiKey: "k" });
  await assert.rejects(client.clickToDial("5001", "1003"), { code: "unavailable", message: "Asterisk unreachable", retryAfter: 2 });
  await assert.rejects(client.clickToDial("5001", "1003", { idempotencyKey: "k-1" }), { idempotencyKey: "k-1" });
  assert.equal(s.requests.length, 2);
});

test("hangup posts the call id and is not retried after a network error", async () => {
  const s = await start((req, res, n) => (n === 1 ? res.socket.destroy() : json(res, 200, { status: "terminated", call_id: "call-1" })));
  const client = new SignalingClient({ baseUrl: s.url, apiKey: "k", retryDelayMs: 5 });
  await assert.rejects(client.hangup("call-1"), SignalingNetworkError);
  assert.deepEqual(await client.hangup("call-1"), { status: "terminated", call_id: "call-1" });
  assert.deepEqual(JSON.parse(s.requests[1].body), { call_id: "call-1" });
});

test("sipCredentials posts the DN, or nothing for an agent token, and is retried after a network error", async () => {
  const credentials = { username: "1700043200:5001", password: "c2VjcmV0", expires_at: 1700043200, realm: "127.0.0.1", websocket_url: "ws://127.0.0.1:8080" };
  const s = await start((req, res, n) => (n === 2 ? res.socket.destroy() : json(res, 200, credentials)));
  const byKey = new SignalingClient({ baseUrl: s.url, apiKey: "k", retryDelayMs: 5 });
  const agent = new SignalingClient({ baseUrl: s.url, token: "jwt-5001", retryDelayMs: 5 });
  assert.deepEqual(await byKey.sipCredentials("5001"), credentials);
  assert.deepEqual(await agent.sipCredentials(), credentials);
  assert.deepEqual(s.requests.map((r) => [r.method, r.url, JSON.parse(r.body)]), [
    ["POST", "/api/agent/sip-credentials", { dn: "5001" }],
    ["POST", "/api/agent/sip-credentials", {}],
    ["POST", "/api/agent/sip-credentials", {}],
  ]);
  assert.equal(s.requests[2].headers.authorization, "Bearer jwt-5001");
  assert.equal(s.requests[2].headers["content-type"], "application/json");
});

test("sipCredentials errors are typed: 403 for another DN, 503 without a secret", async () => {
  const s = await start((req, res, n) => (n === 1
    ? json(res, 403, { error: "Agent 5001 may only get SIP credentials for its own DN" })
    : json(res, 503, { error: "SIP credentials are not configured: set SIP_AUTH_SECRET" })));
  const agent = new SignalingClient({ baseUrl: s.url, token: "jwt-5001" });
  await assert.rejects(agent.sipCredentials("5002"), { status: 403, code: "forbidden" });
  await assert.rejects(agent.sipCredentials(), { status: 503, code: "unavailable" });
  assert.equal(s.requests.length, 2, "HTTP errors are never retried");
});

test("a GET asks If-None-Match with the last ETag and a 304 is answered from the kept body", async () => {
  const s = await start((req, res, n) => {
    if (n === 3) { json(res, 200, { dns: [{ dn: "5002" }], count: 1 }, { ETag: '"v2"' }); return; }
    if (req.headers["if-none-match"] === '"v1"') { res.writeHead(304, { ETag: '"v1"' }); res.end(); return; }
    json(res, 200, { dns: [{ dn: "5001" }], count: 1 }, { ETag: '"v1"' });
  });
  const client = new SignalingClient({ baseUrl: s.url, apiKey: "k" });
  assert.deepEqual(await client.listDns(), { dns: [{ dn: "5001" }], count: 1 });
  assert.deepEqual(await client.listDns(), { dns: [{ dn: "5001" }], count: 1 });
  assert.deepEqual(await client.listDns(), { dns: [{ dn: "5002" }], count: 1 });
  await client.getDn("5001");
  assert.equal(s.requests[0].headers["if-none-match"], undefined);
  assert.equal(s.requests[1].headers["if-none-match"], '"v1"');
  assert.equal(s.requests[2].headers["if-none-match"], '"v1"');
  assert.equal(s.requests[3].headers["if-none-match"], undefined, "kept per path");
});
