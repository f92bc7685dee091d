/**
 * Errors the client throws. An HTTP answer other than 2xx is a SignalingApiError (status, the server's `error`,
 * the body, X-Request-Id, Retry-After); no answer at all (connection refused, TLS, DNS, timeout) is a
 * SignalingNetworkError. Both carry a stable `code`.
 */

const CODES = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "unprocessable",
  429: "rate_limited",
  500: "internal_error",
  502: "bad_gateway",
  503: "unavailable",
};

export class SignalingApiError extends Error {
  constructor({ status, message, body, requestId, retryAfter }) {
    super(message || `HTTP ${status}`);
    this.name = "SignalingApiError";
    this.status = status;
    this.code = CODES[status] ?? (status >= 500 ? "server_error" : "http_error");
    this.body = body;
    this.requestId = requestId ?? null;
    this.retryAfter = retryAfter ?? null;
  }
}

export class SignalingNetworkError extends Error {
  constructor(message, { cause, timeout = false } = {}) {
    super(message, { cause });
    this.name = "SignalingNetworkError";
    this.code = timeout ? "timeout" : "network";
    this.timeout = timeout;
  }
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), or null. */
export function parseRetryAfter(value, now = Date.now()) {
  if (value == null || value === "") return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Reads a non-2xx response into a SignalingApiError (never throws itself). */
export async function errorFrom(response) {
  let text = "";
  try {
    text = await response.text();
  } catch {
    // the body is lost; status and headers still say enough
  }
  let body = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (a proxy's HTML page): keep the text
  }
  const message = body && typeof body === "object" && typeof body.error === "string" ? body.error : `HTTP ${response.status}`;
  return new SignalingApiError({
    status: response.status,
    message,
    body,
    requestId: response.headers.get("x-request-id"),
    retryAfter: parseRetryAfter(response.headers.get("retry-after")),
  });
}
