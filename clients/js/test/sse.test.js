import { test, after } from "node:test";
import assert from "node:assert/strict";
import { SignalingClient, SseParser } from "../src/index.js";
import { server, waitFor } from "../testing/loopback.js";

const servers = [];
after(() => Promise.all(servers.map((s) => s.close())));

function parse(chunks) {
  const messages = [];
  const retries = [];
  const parser = new SseParser((message) => messages.push(message), (ms) => retries.push(ms));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { messages, retries, lastEventId: parser.lastEventId };
}

test("parses the event-stream format in any chunking", () => {
  const stream = ":connected\n\nid: evt-1\nevent: dn.busy\ndata: {\"a\":1}\n\n: heartbeat\r\n\r\nretry: 1500\nid:evt-2\r\nevent:call.ended\r\ndata:line1\r\ndata: line2\r\n\r\ndata: no id\n\nid: evt-3\ndata: unterminated";
  const expected = [
    { id: "evt-1", event: "dn.busy", data: "{\"a\":1}" },
    { id: "evt-2", event: "call.ended", data: "line1\nline2" },
    { id: "evt-2", event: "message", data: "no id" },
  ];
  for (const size of [stream.length, 1, 2, 3, 7]) {
    const chunks = [];
    for (let i = 0; i < stream.length; i += size) chunks.push(stream.slice(i, i + size));
    const { messages, retries } = parse(chunks);
    assert.deepEqual(messages, expected, `chunk size ${size}`);
    assert.deepEqual(retries, [1500]);
  }
});

test("a CR at a chunk's end is not taken as an empty line", () => {
  assert.deepEqual(parse(["data: x\r", "\nid: 9\r", "\n\r", "\n"]).messages, [{ id: "9", event: "message", data: "x" }]);
});

test("an event without data is not dispatched; an id with NUL is ignored", () => {
  const { messages } = parse(["event: ping\n\nid: a\0b\ndata: y\n\n"]);
  assert.deepEqual(messages, [{ id: "", event: "message", data: "y" }]);
});

function event(id, type, extra = {}) {
  return `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify({ id, type, subject: "5001", sequence: 1, data: { dn: "5001" }, ...extra })}\n\n`;
}

test("subscribe sends the credential and filters, reconnects and resumes with Last-Event-ID, handles reset", async () => {
  const s = await server((req, res, n) => {
    res.writeHead(200, { "Content-Type": "text/event-stream" });
    if (n === 1) {
      res.write(":connected\n\n");
      res.write(event("evt-1", "dn.registered"));
      res.end(event("evt-2", "dn.available").slice(0, 10) + event("evt-2", "dn.available").slice(10)); // then the server closes
    } else if (n === 2) {
      res.write("retry: 10\n\n");
      res.write(event("evt-3", "dn.busy"));
      setTimeout(() => res.socket.destroy(), 20); // a broken connection
    } else if (n === 3) {
      res.write(`event: reset\ndata: {"reason":"gone"}\n\n`);
      res.end(event("evt-9", "dn.available"));
    } else {
      res.write(":connected\n\n"); // stays open
    }
  });
  servers.push(s);
  const client = new SignalingClient({ baseUrl: s.url, apiKey: "sk_x" });
  const events = [];
  const resets = [];
  const errors = [];
  let opens = 0;
  const sub = client.subscribe({
    dn: ["5001", "5002"], type: "dn.*", minDelayMs: 10, maxDelayMs: 50,
    onEvent: (e) => events.push(e.id), onReset: (r) => resets.push(r), onOpen: () => opens++, onError: (e) => errors.push(e),
  });
  try {
    await waitFor(() => s.requests.length >= 4 && events.includes("evt-9") && opens >= 4);
  } finally {
    sub.close(); // also when an assertion fails: a live subscription would keep node running
  }
  assert.deepEqual(events, ["evt-1", "evt-2", "evt-3", "evt-9"]);
  assert.deepEqual(resets, [{ reason: "gone" }]);
  assert.equal(s.requests[0].url, "/api/events?dn=5001%2C5002&type=dn.*");
  assert.equal(s.requests[0].headers["x-api-key"], "sk_x");
  assert.equal(s.requests[0].headers.accept, "text/event-stream");
  assert.equal(s.requests[0].headers["last-event-id"], undefined);
  assert.equal(s.requests[1].headers["last-event-id"], "evt-2");
  assert.equal(s.requests[2].headers["last-event-id"], "evt-3");
  assert.equal(s.requests[3].headers["last-event-id"], "evt-9");
  assert.equal(sub.lastEventId, "evt-9");
  assert.ok(errors.length >= 1, "the broken connection is reported");
  assert.ok(opens >= 4);
  assert.equal(await sub.closed, undefined);
});

test("subscribe stops on 401 and reports it; retries 503 honouring Retry-After", async () => {
  const s = await server((req, res, n) => {
    if (n === 1) { res.writeHead(503, { "Content-Type": "application/json", "Retry-After": "0" }); res.end('{"error":"Too many event streams open"}'); }
    else { res.writeHead(401, { "Content-Type": "application/json" }); res.end('{"error":"Authentication required"}'); }
  });
  servers.push(s);
  const errors = [];
  const sub = new SignalingClient({ baseUrl: s.url, apiKey: "bad" })
    .subscribe({ minDelayMs: 5, onError: (e, info) => errors.push([e.status, info.willRetry]) });
  const stoppedBy = await sub.closed;
  assert.equal(stoppedBy.status, 401);
  assert.deepEqual(errors, [[503, true], [401, false]]);
});

test("a starting lastEventId and an abort signal", async () => {
  const s = await server((req, res) => { res.writeHead(200, { "Content-Type": "text/event-stream" }); res.write(":connected\n\n"); });
  servers.push(s);
  const abort = new AbortController();
  const sub = new SignalingClient({ baseUrl: s.url, apiKey: "k" }).subscribe({ lastEventId: "evt-5", signal: abort.signal });
  await waitFor(() => s.requests.length === 1);
  assert.equal(s.requests[0].headers["last-event-id"], "evt-5");
  abort.abort();
  assert.equal(await sub.closed, undefined);
});

test("a stream silent for longer than idleTimeoutMs is reconnected, resuming after the last event", async () => {
  const s = await server((req, res, n) => {
    res.writeHead(200, { "Content-Type": "text/event-stream" });
    res.write(n === 1 ? event("evt-1", "dn.busy") : ":connected\n\n"); // then silence, connection kept open
  });
  servers.push(s);
  const errors = [];
  const sub = new SignalingClient({ baseUrl: s.url, apiKey: "k" })
    .subscribe({ idleTimeoutMs: 150, minDelayMs: 10, onError: (e, info) => errors.push([e.code, info.willRetry]) });
  try {
    await waitFor(() => s.requests.length >= 2);
  } finally {
    sub.close();
  }
  assert.equal(s.requests[1].headers["last-event-id"], "evt-1");
  assert.deepEqual(errors[0], ["timeout", true]);
  assert.equal(await sub.closed, undefined);
});
