/**
 * @signaling-api/client: the signaling-api REST API for WWE (browser) and Node 20. No dependencies: fetch,
 * AbortController, TextDecoder and crypto.randomUUID only.
 */
import { SignalingApiError, SignalingNetworkError, errorFrom } from "./errors.js";
import { SseParser } from "./sse.js";
import { USER_AGENT, VERSION } from "./version.js";

export { SignalingApiError, SignalingNetworkError, SseParser, VERSION };

// Browsers own User-Agent: Chrome drops a script's value, Firefox sends it and so adds it to every CORS preflight.
const SETS_USER_AGENT = typeof globalThis.document === "undefined" && typeof globalThis.importScripts !== "function";

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 2;

/** How many GET answers a client keeps for conditional requests (If-None-Match). */
const MAX_VALIDATED = 256;

export class SignalingClient {
  /**
   * @param {object} options baseUrl ("https://host:8443", with or without "/api"), one of apiKey, token, getToken
   *   (sync or async, called per request), and optionally fetch, timeoutMs (per request, default 10 s), retries
   *   (after network errors, for reads and make; default 2), retryDelayMs (first backoff, default 200).
   */
  constructor(options = {}) {
    const { baseUrl, apiKey, token, getToken } = options;
    if (!baseUrl) throw new TypeError("baseUrl is required");
    const credentials = [apiKey, token, getToken].filter((value) => value != null);
    if (credentials.length > 1) throw new TypeError("give one of apiKey, token, getToken");
    this.baseUrl = String(baseUrl).replace(/\/+$/, "").replace(/\/api$/, "");
    this.apiKey = apiKey;
    this.token = token;
    this.getToken = getToken;
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retries = options.retries ?? DEFAULT_RETRIES;
    this.retryDelayMs = options.retryDelayMs ?? 200;
  }

  /**
   * The last answer to each GET, with its ETag: the next GET of the same path asks If-None-Match and a 304 (the view
   * has not changed) is answered from here, without the body crossing the network again. The service's ETags are
   * digests of the bytes, so a 304 can only confirm the very text kept here, whichever credential asked.
   */
  #validated = new Map();

  // ---- the seed's endpoints ----

  /** GET /api/health (open: works without a credential too). */
  health(options) {
    return this.#json("GET", "/api/health", options);
  }

  /** GET /api/dn/{dn}: {dn, status: "available"|"busy"|"offline", sip_uri, registered, ...}. */
  getDn(dn, options) {
    return this.#json("GET", `/api/dn/${encodeURIComponent(dn)}`, options);
  }

  /** GET /api/dn/list: {dns: [...], count}. */
  listDns(options) {
    return this.#json("GET", "/api/dn/list", options);
  }

  /**
   * GET /api/routing/dn/{dn}: a flat answer, always 200 (also for an unknown DN and while Kamailio is away);
   * route to target_uri when reason is "ok".
   */
  route(dn, options) {
    return this.#json("GET", `/api/routing/dn/${encodeURIComponent(dn)}`, options);
  }

  /**
   * GET /api/routing/select: one of up to 20 candidate DNs, by strategy "first" (default), "least_busy" or "random".
   * @param {string[]} candidates DNs, in order of preference
   */
  selectRoute(candidates, { strategy } = {}, options) {
    return this.#json("GET", `/api/routing/select${query({ candidates: candidates.join(","), strategy },
      ["candidates", "strategy"])}`, options);
  }

  /**
   * GET /api/genesys/status. The service answers 503 with the same fields and connected:false while Genesys is
   * unreachable; that is an answer about Genesys, not a failure of the call, so it resolves to the body. Any
   * other error (401, a 503 without that body) throws.
   */
  async genesysStatus(options) {
    try {
      return await this.#json("GET", "/api/genesys/status", options);
    } catch (error) {
      if (error instanceof SignalingApiError && error.status === 503 && error.body
          && typeof error.body === "object" && typeof error.body.connected === "boolean") {
        return error.body;
      }
      throw error;
    }
  }

  /** GET /api/calls/active: {active_calls (count), timestamp, by_state, calls: [...]}. */
  activeCalls(options) {
    return this.#json("GET", "/api/calls/active", options);
  }

  /** The number of active calls (GET /api/calls/active). */
  async activeCallCount(options) {
    return (await this.activeCalls(options)).active_calls;
  }

  /** GET /api/calls/dn/{dn}: {dn, active_calls: [...], count}. */
  getAgentCalls(dn, options) {
    return this.#json("GET", `/api/calls/dn/${encodeURIComponent(dn)}`, options);
  }

  /**
   * POST /api/call/make. One Idempotency-Key per logical call (options.idempotencyKey, else a new UUID), reused
   * on this method's own retries after network errors, so a retry never dials twice. Resolves to
   * {status, from, to, call_id, idempotency_key, replayed}.
   * @param {object} [options] auto_answer, caller_id, timeout (seconds), idempotencyKey, signal, retries
   */
  async clickToDial(from, to, options = {}) {
    const body = { from, to };
    for (const name of ["auto_answer", "caller_id", "timeout"]) {
      if (options[name] !== undefined) body[name] = options[name];
    }
    const key = options.idempotencyKey ?? crypto.randomUUID();
    let response;
    try {
      response = await this.#send("POST", "/api/call/make", {
        body,
        headers: { "Idempotency-Key": key },
        signal: options.signal,
        retries: options.retries ?? this.retries,
      });
    } catch (error) {
      // e.g. still no answer after the retries: clickToDial(from, to, {idempotencyKey}) later is still safe
      if (error instanceof SignalingApiError || error instanceof SignalingNetworkError) error.idempotencyKey = key;
      throw error;
    }
    return { ...JSON.parse(response.text), idempotency_key: key, replayed: response.headers.get("idempotent-replayed") === "true" };
  }

  /** Alias with the seed's name: makeCall(from, to, options). */
  makeCall(from, to, options) {
    return this.clickToDial(from, to, options);
  }

  /**
   * POST /api/call/hangup: {status: "terminated", call_id}. Not retried after a network error (the first request
   * may have ended the call; a retry could then answer 404): catch SignalingNetworkError and check getCall.
   */
  hangup(callId, options = {}) {
    return this.#json("POST", "/api/call/hangup", { signal: options.signal, body: { call_id: callId }, retries: 0 });
  }

  /** GET /api/calls/{callId}: the call's state and correlation record. */
  getCall(callId, options) {
    return this.#json("GET", `/api/calls/${encodeURIComponent(callId)}`, options);
  }

  /** GET /api/calls/history with filters dn, since, until, end_cause, limit, cursor: {calls, next_cursor}. */
  /** GET /api/calls?genesys_call_uuid=: {calls: [...]}, the calls (live or ended) of a Genesys interaction. */
  callsOfGenesysInteraction(genesysCallUuid, options) {
    return this.#json("GET", `/api/calls${query({ genesys_call_uuid: genesysCallUuid }, ["genesys_call_uuid"])}`,
      options);
  }

  callHistory(filters = {}, options) {
    return this.#json("GET", `/api/calls/history${query(filters, ["dn", "since", "until", "end_cause", "limit", "cursor"])}`, options);
  }

  // ---- call control: calls the API placed through Asterisk ----
  // Each sends an Idempotency-Key (options.idempotencyKey, else a new UUID) reused on this method's own retries
  // after network errors, so a retry never acts twice; the answer says `replayed` when the service replayed it.
  // A call Asterisk does not carry is a 409 SignalingApiError ("... needs Asterisk in the media path").

  /** POST /api/calls/{callId}/hold: {call_id, held: true}. */
  hold(callId, options = {}) {
    return this.#control("POST", `${callPath(callId)}/hold`, undefined, options);
  }

  /** POST /api/calls/{callId}/unhold: {call_id, held: false}. */
  unhold(callId, options = {}) {
    return this.#control("POST", `${callPath(callId)}/unhold`, undefined, options);
  }

  /** POST /api/calls/{callId}/dtmf: digits (1-32 of 0-9*#A-D) toward the customer; options.durationMs (100). */
  sendDtmf(callId, digits, options = {}) {
    const body = { digits };
    if (options.durationMs !== undefined) body.duration_ms = options.durationMs;
    return this.#control("POST", `${callPath(callId)}/dtmf`, body, options);
  }

  /** POST /api/calls/{callId}/mute: direction "in" | "out" | "all", state "on" | "off". */
  mute(callId, direction, state, options = {}) {
    return this.#control("POST", `${callPath(callId)}/mute`, { direction, state }, options);
  }

  /** POST /api/calls/{callId}/recording: action "start" | "stop" | "pause" | "resume"; {recording_id, state, file}. */
  recording(callId, action, options = {}) {
    return this.#control("POST", `${callPath(callId)}/recording`, { action }, options);
  }

  /** POST /api/calls/{callId}/transfers: {transfer_id, state}; options.mode "blind" (default) | "attended", timeout. */
  transfer(callId, to, options = {}) {
    const body = { to };
    if (options.mode !== undefined) body.mode = options.mode;
    if (options.timeout !== undefined) body.timeout = options.timeout;
    return this.#control("POST", `${callPath(callId)}/transfers`, body, options);
  }

  /** GET /api/transfers/{transferId}: its state (ringing, answered, completed, cancelled, failed, abandoned). */
  getTransfer(transferId, options) {
    return this.#json("GET", `/api/transfers/${encodeURIComponent(transferId)}`, options);
  }

  /** POST /api/transfers/{transferId}/complete: the agent leaves an answered attended transfer. */
  completeTransfer(transferId, options = {}) {
    return this.#control("POST", `/api/transfers/${encodeURIComponent(transferId)}/complete`, undefined, options);
  }

  /** DELETE /api/transfers/{transferId}: the agent back with the customer. */
  cancelTransfer(transferId, options = {}) {
    return this.#control("DELETE", `/api/transfers/${encodeURIComponent(transferId)}`, undefined, options);
  }

  /** POST /api/calls/{callId}/monitors (scope supervise): mode "listen" | "whisper" | "barge"; {monitor_id}. */
  monitor(callId, supervisorDn, mode = "listen", options = {}) {
    return this.#control("POST", `${callPath(callId)}/monitors`, { supervisor_dn: supervisorDn, mode }, options);
  }

  /** PATCH /api/monitors/{monitorId}: switches listen / whisper / barge mid-call. */
  setMonitorMode(monitorId, mode, options = {}) {
    return this.#control("PATCH", `/api/monitors/${encodeURIComponent(monitorId)}`, { mode }, options);
  }

  /** DELETE /api/monitors/{monitorId}: the supervisor leaves; the call goes on. */
  endMonitor(monitorId, options = {}) {
    return this.#control("DELETE", `/api/monitors/${encodeURIComponent(monitorId)}`, undefined, options);
  }

  // ---- agents ----

  /**
   * POST /api/agent/sip-credentials: {username, password, expires_at, realm, websocket_url}, what the agent's
   * softphone registers with (username as the SIP authentication user). With an agent token, leave dn out (or give
   * its own); with a calls key, dn is required. Ask again before expires_at. Safe to repeat, so it is retried after
   * network errors like a read.
   * @param {string} [dn] the agent's DN
   * @param {object} [options] signal, retries
   */
  sipCredentials(dn, options = {}) {
    return this.#json("POST", "/api/agent/sip-credentials", {
      body: dn == null ? {} : { dn },
      signal: options.signal,
      retries: options.retries ?? this.retries,
    });
  }

  // ---- events ----

  /**
   * Server-Sent Events from GET /api/events over fetch (EventSource cannot send the credential), reconnecting with
   * backoff and resuming with Last-Event-ID. Returns {close(), lastEventId, closed}: `closed` resolves when the
   * subscription stops, to undefined after close() or the signal, or to the error that stopped it (400, 401, 403:
   * retrying cannot help; onError saw it with willRetry false). It never rejects.
   * @param {object} options dn, callId, type (strings or arrays), lastEventId, onEvent(event), onReset(info),
   *   onOpen(), onError(error, {willRetry}), signal, minDelayMs (500), maxDelayMs (30000), idleTimeoutMs (45000:
   *   the service sends a heartbeat every 15 s, so a stream silent for longer is dead and is reconnected)
   */
  subscribe(options = {}) {
    return new Subscription(this, options);
  }

  // ---- internals ----

  async headers(extra) {
    const headers = { Accept: "application/json", ...extra };
    if (SETS_USER_AGENT) headers["User-Agent"] = USER_AGENT;
    if (this.apiKey != null) headers["X-API-Key"] = this.apiKey;
    if (this.token != null) headers.Authorization = `Bearer ${this.token}`;
    if (this.getToken != null) headers.Authorization = `Bearer ${await this.getToken()}`;
    return headers;
  }

  async #control(method, path, body, options) {
    const key = options.idempotencyKey ?? crypto.randomUUID();
    const response = await this.#send(method, path, {
      body,
      headers: { "Idempotency-Key": key },
      signal: options.signal,
      retries: options.retries ?? this.retries,
    });
    return { ...JSON.parse(response.text), replayed: response.headers.get("idempotent-replayed") === "true" };
  }

  async #json(method, path, options = {}) {
    const answer = await this.#send(method, path, options);
    return JSON.parse(answer.text);
  }

  async #send(method, path, { body, headers, signal, retries } = {}) {
    const attempts = 1 + (retries ?? (method === "GET" ? this.retries : 0));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once(method, path, body, headers, signal);
      } catch (error) {
        if (attempt >= attempts || signal?.aborted || !(error instanceof SignalingNetworkError)) throw error;
        await sleep(this.retryDelayMs * 2 ** (attempt - 1), signal);
      }
    }
  }

  #keep(path, etag, text) {
    this.#validated.delete(path);
    if (!etag) return;
    // bounded: a client asking for many DNs keeps the most recent answers only
    if (this.#validated.size >= MAX_VALIDATED) this.#validated.delete(this.#validated.keys().next().value);
    this.#validated.set(path, { etag, text });
  }

  /** One request; the whole answer (body included) is read within timeoutMs. Resolves to {status, headers, text}. */
  async #once(method, path, body, extraHeaders, signal) {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.timeoutMs);
    const onAbort = () => timeout.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const headers = await this.headers(extraHeaders);
      if (body !== undefined) headers["Content-Type"] = "application/json";
      const kept = method === "GET" ? this.#validated.get(path) : undefined;
      if (kept) headers["If-None-Match"] = kept.etag;
      const response = await this.fetch(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: timeout.signal,
      });
      if (response.status === 304 && kept) {
        return { status: 200, headers: response.headers, text: kept.text, notModified: true };
      }
      if (!response.ok) throw await errorFrom(response);
      const text = await response.text();
      if (method === "GET") this.#keep(path, response.headers.get("ETag"), text);
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      if (error instanceof SignalingApiError) throw error;
      if (signal?.aborted) throw signal.reason ?? error;
      if (timeout.signal.aborted) {
        throw new SignalingNetworkError(`${method} ${path}: no answer within ${this.timeoutMs} ms`, { cause: error, timeout: true });
      }
      throw new SignalingNetworkError(`${method} ${path}: ${error.cause?.message ?? error.message}`, { cause: error });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }
}

class Subscription {
  constructor(client, options) {
    this.client = client;
    this.options = options;
    this.lastEventId = options.lastEventId ?? null;
    this.controller = new AbortController();
    if (options.signal) {
      if (options.signal.aborted) this.controller.abort();
      else options.signal.addEventListener("abort", () => this.close(), { once: true });
    }
    this.closed = this.#run();
  }

  close() {
    this.controller.abort();
  }

  async #run() {
    const o = this.options;
    const signal = this.controller.signal;
    const minDelay = o.minDelayMs ?? 500;
    const maxDelay = o.maxDelayMs ?? 30_000;
    let retryMs = null;
    let failures = 0;
    while (!signal.aborted) {
      let delay;
      try {
        await this.#connect(signal, (ms) => { retryMs = ms; }, () => { failures = 0; });
        delay = retryMs ?? minDelay; // the server ended the stream (stream timeout): reconnect soon
      } catch (error) {
        if (signal.aborted) break;
        const fatal = error instanceof SignalingApiError && ![429, 500, 502, 503, 504].includes(error.status);
        o.onError?.(error, { willRetry: !fatal });
        if (fatal) return error;
        failures++;
        const backoff = Math.min(maxDelay, minDelay * 2 ** Math.min(failures - 1, 16));
        delay = Math.max(error.retryAfter != null ? error.retryAfter * 1000 : 0, backoff / 2 + Math.random() * backoff / 2);
      }
      try {
        await sleep(delay, signal);
      } catch {
        break;
      }
    }
  }

  async #connect(outer, onRetry, onOpen) {
    const o = this.options;
    const c = this.client;
    // one controller per connection: closing the subscription aborts it, and so does a silent stream
    const connection = new AbortController();
    const signal = connection.signal;
    const abort = () => connection.abort();
    outer.addEventListener("abort", abort, { once: true });
    const idleMs = o.idleTimeoutMs ?? 45_000;
    let idle = false;
    let timer = null;
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => { idle = true; connection.abort(); }, idleMs);
    };
    touch();
    try {
      await this.#stream(c, o, signal, onRetry, onOpen, touch);
    } catch (error) {
      if (idle && !outer.aborted) throw new SignalingNetworkError(`GET /api/events: nothing received for ${idleMs} ms`, { cause: error, timeout: true });
      throw error;
    } finally {
      clearTimeout(timer);
      outer.removeEventListener("abort", abort);
    }
  }

  async #stream(c, o, signal, onRetry, onOpen, touch) {
    const headers = await c.headers({ Accept: "text/event-stream", "Cache-Control": "no-cache" });
    if (this.lastEventId) headers["Last-Event-ID"] = this.lastEventId;
    const filters = { dn: list(o.dn), call_id: list(o.callId), type: list(o.type) };
    let response;
    try {
      response = await c.fetch(`${c.baseUrl}/api/events${query(filters, ["dn", "call_id", "type"])}`, { headers, signal });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new SignalingNetworkError(`GET /api/events: ${error.cause?.message ?? error.message}`, { cause: error });
    }
    if (!response.ok) throw await errorFrom(response);
    onOpen();
    o.onOpen?.();
    const parser = new SseParser((message) => this.#dispatch(message), onRetry);
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        touch();
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch (error) {
      if (signal.aborted) throw error;
      throw new SignalingNetworkError(`GET /api/events: stream broken: ${error.message}`, { cause: error });
    } finally {
      parser.end();
      reader.releaseLock?.();
    }
  }

  #dispatch(message) {
    let data = message.data;
    try {
      data = JSON.parse(message.data);
    } catch {
      // keep the text
    }
    if (message.event === "reset") {
      this.lastEventId = null; // that id cannot be resumed from any more: the next reconnect starts afresh
      this.options.onReset?.(data);
      return;
    }
    if (message.id) this.lastEventId = message.id;
    const event = data && typeof data === "object" ? data : { id: message.id, type: message.event, data };
    this.options.onEvent?.(event);
  }
}

function callPath(callId) {
  return `/api/calls/${encodeURIComponent(callId)}`;
}

function list(value) {
  return Array.isArray(value) ? value.join(",") : value;
}

function query(values, names) {
  const params = new URLSearchParams();
  for (const name of names) {
    if (values[name] != null && values[name] !== "") params.set(name, String(values[name]));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
