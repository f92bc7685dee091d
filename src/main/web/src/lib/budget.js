// The dashboard's share of its credential's request budget. Every API response carries RateLimit-Limit,
// RateLimit-Remaining and RateLimit-Reset (seconds until the bucket is full again) of the tightest budget that
// applied (per IP per minute, per key per hour). The buckets refill evenly, so Reset / (Limit - Remaining) is
// the seconds one request costs; polling is spaced so that it uses about two thirds of the slowest budget seen,
// leaving the rest for contact look-ups, dialling, hanging up and a second open dashboard.

const DEFAULT_SECONDS_PER_REQUEST = 3.6; // 1000 per hour, the default per-key budget

export class RequestBudget {
  constructor({ now = () => Date.now() } = {}) {
    this.now = now;
    this.secondsPerRequest = new Map(); // by RateLimit-Limit: each budget's refill pace
    this.remaining = null;
    this.limit = null;
    this.pausedUntil = 0;
  }

  /** Records a response's RateLimit-* and Retry-After headers; get(name) returns a header value or null. */
  update(get, status) {
    const limit = Number(get('RateLimit-Limit'));
    const remaining = Number(get('RateLimit-Remaining'));
    const reset = Number(get('RateLimit-Reset'));
    if (status === 429) {
      const retryAfter = Number(get('Retry-After'));
      this.pausedUntil = this.now() + 1000 * (Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 10);
    }
    if (!Number.isFinite(limit) || limit <= 0 || get('RateLimit-Limit') === null) {
      return;
    }
    this.limit = limit;
    this.remaining = Number.isFinite(remaining) ? remaining : null;
    if (Number.isFinite(remaining) && Number.isFinite(reset) && reset > 0 && limit > remaining) {
      this.secondsPerRequest.set(limit, reset / (limit - remaining));
    }
  }

  /** Milliseconds until requests may be sent again after a 429; 0 when not paused. */
  pauseMs() {
    return Math.max(0, this.pausedUntil - this.now());
  }

  /** Whether optional requests (contact details) should wait: little budget left. */
  isLow() {
    return this.remaining !== null && this.remaining < 50;
  }

  /** The pause between two polls of requestsPerPoll requests, within [minMs, maxMs]. */
  pollIntervalMs(requestsPerPoll, { minMs = 5000, maxMs = 60000 } = {}) {
    const paces = [...this.secondsPerRequest.values()];
    const secondsPerRequest = paces.length > 0 ? Math.max(...paces) : DEFAULT_SECONDS_PER_REQUEST;
    let interval = 1000 * secondsPerRequest * requestsPerPoll * 1.5;
    if (this.remaining !== null && this.remaining < requestsPerPoll * 10) {
      interval *= 3;
    }
    return Math.round(Math.min(maxMs, Math.max(minMs, interval, this.pauseMs())));
  }
}
