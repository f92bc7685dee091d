// Type declarations for @signaling-api/client (hand-written; the runtime is plain ESM JavaScript).

export interface SignalingClientOptions {
  /** "https://host:8443" (a trailing "/api" is accepted too). */
  baseUrl: string;
  /** Sent as X-API-Key. Give one of apiKey, token, getToken. */
  apiKey?: string;
  /** Sent as Authorization: Bearer (an agent's JWT, or an API key). */
  token?: string;
  /** Called before every request (e.g. to refresh a WWE agent's token). */
  getToken?: () => string | Promise<string>;
  /** Defaults to globalThis.fetch. */
  fetch?: typeof fetch;
  /** Per request, including reading the body. Default 10000. */
  timeoutMs?: number;
  /** Retries after network errors (reads and clickToDial only). Default 2. */
  retries?: number;
  /** First retry delay, doubled per retry. Default 200. */
  retryDelayMs?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
  retries?: number;
}

export interface Health {
  status: "ok" | "degraded" | string;
  service: string;
  version: string;
  timestamp: string;
  uptime: number;
  components?: Record<string, { status: string; last_error?: string | null; last_error_at?: string | null; details?: unknown }>;
}

export interface Contact {
  contact: string;
  transport: string;
  user_agent: string | null;
  expires: number;
  received: string | null;
  /** It answered Kamailio's probes lately (WebSocket contacts: while their connection is open). */
  reachable: boolean;
}

export interface Dn {
  dn: string;
  /** "unreachable": registered, but no contact answers (signaling.dn.unreachable-after). */
  status: "available" | "busy" | "unreachable" | "offline";
  sip_uri: string;
  registered: boolean;
  active_call_count: number;
  contacts: Contact[];
  reachable: boolean;
}

export interface DnSummary {
  dn: string;
  sip_uri: string;
  status: "registered" | "offline";
  availability: "available" | "busy" | "unreachable" | "offline";
  active_call_count: number;
  contact_count: number;
  reachable: boolean;
}

export interface DnList {
  dns: DnSummary[];
  count: number;
}

/** A call found by its Genesys interaction id (GET /api/calls?genesys_call_uuid=). */
export interface GenesysCall {
  call_id: string;
  origin: "api" | "kamailio";
  state: string;
  from: string;
  to: string;
  from_dn: string;
  dns: string[];
  sip_call_id?: string | null;
  dialog_id?: string | null;
  genesys_call_uuid: string;
  created_at: number;
  answered_at?: number | null;
  /** null while the call is live */
  ended_at?: number | null;
  end_cause?: string | null;
}

/** GET /api/routing/dn/{dn} and /api/routing/select: flat, every key always present. */
export interface RoutingAnswer {
  dn: string;
  found: boolean;
  registered: boolean;
  reachable: boolean;
  available: boolean;
  busy: boolean;
  status: "available" | "busy" | "offline" | "unknown" | string;
  active_call_count: number;
  contact_count: number;
  sip_uri: string;
  /** Where to send the INVITE now; "" unless reason is "ok". */
  target_uri: string;
  reason: "ok" | "not_found" | "not_registered" | "unreachable" | "busy" | "kamailio_unreachable" | string;
  state_age_ms: number;
  /** For kamailio_unreachable: when to ask again (seconds); otherwise 0. */
  retry_after_s: number;
  candidates_tried: number;
}

export interface GenesysStatus {
  connected: boolean;
  server: string;
  service: string;
  status: "active" | "trying" | "unreachable" | "disabled" | "unknown" | string;
  targets?: { uri: string; flags: string; state: string }[];
  /** Present when not connected (the service answered 503). */
  error?: string;
}

export type CallState = "initiated" | "trying" | "ringing" | "answered" | "confirmed" | "ended" | "failed" | string;

export interface ActiveCall {
  call_id: string;
  from: string;
  to: string;
  state: CallState;
  from_dn?: string | null;
  dns?: string[];
  duration: number;
  created_at?: number | null;
  answered_at?: number | null;
  dialog_id?: string | null;
  /** The Genesys interaction's X-Genesys-CallUUID, when the call came through the Genesys SIP Server. */
  genesys_call_uuid?: string | null;
}

export interface ActiveCalls {
  active_calls: number;
  timestamp: string;
  by_state?: Record<string, number>;
  calls?: ActiveCall[];
}

export interface AgentCall {
  call_id: string;
  from: string;
  to: string;
  state: CallState;
  duration: number;
  direction?: string;
  created_at?: number | null;
  answered_at?: number | null;
  dialog_id?: string | null;
  genesys_call_uuid?: string | null;
}

export interface AgentCalls {
  dn: string;
  active_calls: AgentCall[];
  count: number;
}

export interface ClickToDialOptions extends RequestOptions {
  auto_answer?: boolean;
  caller_id?: string;
  /** Seconds to ring the agent (1–120). */
  timeout?: number;
  /** Default: a new crypto.randomUUID() per clickToDial call, reused on its retries. */
  idempotencyKey?: string;
}

export interface CallMade {
  status: "initiated";
  from: string;
  to: string;
  call_id: string;
  /** The Idempotency-Key sent (give it back as idempotencyKey to retry this call yourself). */
  idempotency_key: string;
  /** True when the service answered a replay of an earlier request with this key (Idempotent-Replayed). */
  replayed: boolean;
}

export interface HangupResult {
  status: "terminated";
  call_id: string;
  /** Present only when a party did not answer its BYE in time (it may still be in the call). */
  legs?: {
    party: "caller" | "callee";
    released: boolean;
    reason?: string | null;
    /** Until when the service sends that party a new BYE now and then (its dialog's timeout; ISO 8601). */
    retrying_until?: string | null;
  }[];
}

export interface CallRecord {
  call_id: string;
  origin: "api" | "kamailio";
  /** What placed a call made through the API (null for calls only Kamailio carries). */
  originator?: "asterisk" | "kamailio" | null;
  state: CallState;
  from: string;
  to: string;
  from_dn?: string | null;
  sip_call_ids?: string[];
  kamailio_dialog_id?: string | null;
  genesys_call_uuid?: string | null;
  asterisk?: { uniqueid?: string | null; linkedid?: string | null; channels?: unknown[]; node?: string | null } | null;
  created_at?: number | null;
  answered_at?: number | null;
  ended_at?: number | null;
  end_cause?: string | null;
  hangup_cause?: number | null;
  duration?: number;
  [field: string]: unknown;
}

export interface SipCredentials {
  /** "<expires_at>:<dn>": the SIP authentication user (the AoR user stays the DN). */
  username: string;
  /** Never log it. */
  password: string;
  /** Epoch seconds; ask again before. */
  expires_at: number;
  realm: string;
  /** Kamailio's SIP-over-WebSocket URL, as /agent/config.json serves it. */
  websocket_url: string;
}

export interface CallHistoryFilters {
  dn?: string;
  /** ISO-8601 */
  since?: string;
  until?: string;
  end_cause?: string;
  limit?: number;
  cursor?: string;
}

export interface CallHistory {
  calls: (CallRecord & { end_cause: string | null; ended_at: number | null })[];
  next_cursor: string | null;
}

export interface SignalingEvent {
  id: string;
  type: string;
  occurred_at: string;
  subject_type: "dn" | "call" | "genesys" | "backend" | string;
  subject: string;
  sequence: number;
  data: Record<string, any>;
  /** W3C trace id of the API request that caused it; null for what Kamailio or Asterisk reported alone. */
  trace_id?: string | null;
}

export interface SubscribeOptions {
  /** Filters (comma-separated strings or arrays); type accepts families such as "call.*". */
  dn?: string | string[];
  callId?: string | string[];
  type?: string | string[];
  /** Resume after this event id. */
  lastEventId?: string;
  onEvent?: (event: SignalingEvent) => void;
  /** The id to resume from is no longer kept: reload your state. */
  onReset?: (info: { reason?: string } | unknown) => void;
  /** Called each time the stream is (re)connected. */
  onOpen?: () => void;
  onError?: (error: SignalingApiError | SignalingNetworkError | Error, info: { willRetry: boolean }) => void;
  signal?: AbortSignal;
  /** Reconnect backoff bounds (full jitter above half the delay). Defaults 500 and 30000. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** A stream silent this long is taken as dead and reconnected (the service sends a heartbeat every 15 s). Default 45000. */
  idleTimeoutMs?: number;
}

export interface Subscription {
  close(): void;
  /** The id of the last event received (sent as Last-Event-ID on reconnect). */
  readonly lastEventId: string | null;
  /** Resolves when the subscription stops: undefined after close(), or the error that stopped it. Never rejects. */
  readonly closed: Promise<Error | undefined>;
}

export type ErrorCode =
  | "bad_request" | "unauthorized" | "forbidden" | "not_found" | "method_not_allowed" | "conflict"
  | "payload_too_large" | "unsupported_media_type" | "unprocessable" | "rate_limited" | "internal_error"
  | "bad_gateway" | "unavailable" | "server_error" | "http_error";

/** The client's version (package.json's, the service's); Node sends User-Agent: signaling-api-client/<VERSION>. */
export const VERSION: string;

/** The service answered with a non-2xx status. */
export class SignalingApiError extends Error {
  readonly name: "SignalingApiError";
  readonly status: number;
  readonly code: ErrorCode;
  /** The parsed body ({error, ...}) or its text. */
  readonly body: unknown;
  /** X-Request-Id of the answer. */
  readonly requestId: string | null;
  /** Retry-After in seconds (429, 503). */
  readonly retryAfter: number | null;
  /** Set on errors of clickToDial: the Idempotency-Key it sent. */
  idempotencyKey?: string;
}

/** No answer: connection refused, TLS, DNS, or timeoutMs passed. */
export class SignalingNetworkError extends Error {
  readonly name: "SignalingNetworkError";
  readonly code: "network" | "timeout";
  readonly timeout: boolean;
  /** Set on errors of clickToDial: the Idempotency-Key it sent; retrying with it never dials twice. */
  idempotencyKey?: string;
}

export class SseParser {
  constructor(onMessage: (message: { id: string; event: string; data: string }) => void, onRetry?: (ms: number) => void);
  push(text: string): void;
  end(): void;
}

/** Options of call control requests: one Idempotency-Key per logical request (a new UUID when not given). */
export interface ControlOptions extends RequestOptions {
  idempotencyKey?: string;
}

/** Whether the service replayed an earlier answer to the same Idempotency-Key. */
export interface Replayed {
  replayed: boolean;
}

export type MonitorMode = "listen" | "whisper" | "barge";

export interface Recording {
  recording_id: string;
  call_id: string;
  state: "recording" | "paused" | "stopped";
  file: string;
}

export interface Transfer {
  transfer_id: string;
  call_id: string;
  to: string;
  mode: "blind" | "attended";
  state: "ringing" | "answered" | "completed" | "cancelled" | "failed" | "abandoned";
}

export interface Monitor {
  monitor_id: string;
  call_id: string;
  supervisor_dn: string;
  mode: MonitorMode;
  state: "ringing" | "active" | "ended";
}

export class SignalingClient {
  constructor(options: SignalingClientOptions);
  health(options?: RequestOptions): Promise<Health>;
  getDn(dn: string, options?: RequestOptions): Promise<Dn>;
  listDns(options?: RequestOptions): Promise<DnList>;
  route(dn: string, options?: RequestOptions): Promise<RoutingAnswer>;
  selectRoute(candidates: string[], selection?: { strategy?: "first" | "least_busy" | "random" },
    options?: RequestOptions): Promise<RoutingAnswer>;
  /** A 503 with connected:false resolves to that body; other errors throw. */
  genesysStatus(options?: RequestOptions): Promise<GenesysStatus>;
  activeCalls(options?: RequestOptions): Promise<ActiveCalls>;
  activeCallCount(options?: RequestOptions): Promise<number>;
  getAgentCalls(dn: string, options?: RequestOptions): Promise<AgentCalls>;
  clickToDial(from: string, to: string, options?: ClickToDialOptions): Promise<CallMade>;
  makeCall(from: string, to: string, options?: ClickToDialOptions): Promise<CallMade>;
  hangup(callId: string, options?: { signal?: AbortSignal }): Promise<HangupResult>;
  getCall(callId: string, options?: RequestOptions): Promise<CallRecord>;
  callHistory(filters?: CallHistoryFilters, options?: RequestOptions): Promise<CallHistory>;
  callsOfGenesysInteraction(genesysCallUuid: string, options?: RequestOptions): Promise<{ calls: GenesysCall[] }>;
  // call control: calls the API placed through Asterisk (409 otherwise); each sends an Idempotency-Key
  hold(callId: string, options?: ControlOptions): Promise<{ call_id: string; held: boolean } & Replayed>;
  unhold(callId: string, options?: ControlOptions): Promise<{ call_id: string; held: boolean } & Replayed>;
  sendDtmf(callId: string, digits: string, options?: ControlOptions & { durationMs?: number }):
    Promise<{ call_id: string; digits: string; duration_ms: number } & Replayed>;
  mute(callId: string, direction: "in" | "out" | "all", state: "on" | "off", options?: ControlOptions):
    Promise<{ call_id: string; direction: string; state: string } & Replayed>;
  recording(callId: string, action: "start" | "stop" | "pause" | "resume", options?: ControlOptions):
    Promise<Recording & Replayed>;
  transfer(callId: string, to: string,
    options?: ControlOptions & { mode?: "blind" | "attended"; timeout?: number }): Promise<Transfer & Replayed>;
  getTransfer(transferId: string, options?: RequestOptions): Promise<Transfer>;
  completeTransfer(transferId: string, options?: ControlOptions): Promise<Transfer & Replayed>;
  cancelTransfer(transferId: string, options?: ControlOptions): Promise<Transfer & Replayed>;
  /** Scope supervise. */
  monitor(callId: string, supervisorDn: string, mode?: MonitorMode, options?: ControlOptions):
    Promise<Monitor & Replayed>;
  setMonitorMode(monitorId: string, mode: MonitorMode, options?: ControlOptions): Promise<Monitor & Replayed>;
  endMonitor(monitorId: string, options?: ControlOptions): Promise<Monitor & Replayed>;
  /** With an agent token, dn may be left out (its own); with a calls key it is required. */
  sipCredentials(dn?: string | null, options?: RequestOptions): Promise<SipCredentials>;
  subscribe(options: SubscribeOptions): Subscription;
}
