// Which calls the softphone may answer, and whose REFER it may follow, without the agent: only the click-to-dials
// the service announced for this page's DN on its own event stream (an agent token's stream carries its DN only).
// Nothing a SIP sender writes grants that by itself: not a From user ("controller"), not Call-Info answer-after,
// not Alert-Info. The INVITE's X-Call-Id links it to an announced call: Kamailio removes that header from untrusted
// senders and writes it on its own click-to-dial INVITE; Asterisk, a trusted peer, sends it itself.

import { requestedAnswerDelay } from './sip.js';

/** The API's call ids: "call-" and 32 lowercase hex digits (CallIds). */
export const API_CALL_ID = /^call-[0-9a-f]{32}$/;

/** How many announced click-to-dials the page remembers at most (the oldest go first). */
export const CLICK_TO_DIAL_LIMIT = 50;

/** The event types the page subscribes to. */
export const CLICK_TO_DIAL_EVENT_TYPES = Object.freeze(['call.initiated', 'call.ringing', 'call.ended']);

/** The longest ring time an announcement may ask for (seconds): the service's own bound on ring_timeout. */
export const MAX_RING_SECONDS = 3600;

/**
 * The click-to-dial an event announces for dn, {callId, to, autoAnswer, ringMs}, or null: call.initiated or
 * call.ringing of a call the API placed (origin "api", an API call id) from dn, i.e. dn's phone rings first.
 * call.ringing carries no origin (the service writes it on call.initiated only), so there an API call id and a
 * from_dn of dn must do, and an origin other than "api" still refuses. autoAnswer: the make request asked for it
 * (call.initiated's auto_answer; anything else rings); ringMs: that call's ring time (ring_timeout), or null.
 */
export function clickToDialOf(event, dn) {
  if (!event || (event.type !== 'call.initiated' && event.type !== 'call.ringing') || !dn) {
    return null;
  }
  const data = event.data;
  if (!data || typeof data !== 'object') {
    return null;
  }
  const callId = data.call_id;
  if (typeof callId !== 'string' || !API_CALL_ID.test(callId) || data.from_dn !== dn) {
    return null;
  }
  const apiOrigin = event.type === 'call.initiated' ? data.origin === 'api'
    : data.origin === undefined || data.origin === 'api';
  if (!apiOrigin) {
    return null;
  }
  const ringSeconds = data.ring_timeout;
  const ringMs = Number.isInteger(ringSeconds) && ringSeconds > 0 && ringSeconds <= MAX_RING_SECONDS
    ? ringSeconds * 1000 : null;
  return { callId, to: typeof data.to === 'string' ? data.to : null, autoAnswer: data.auto_answer === true, ringMs };
}

/** The API call id an INVITE's X-Call-Id headers name: exactly one value, an API call id; else null. */
export function inviteCallId(values) {
  const ids = new Set((Array.isArray(values) ? values : []).map((value) => String(value).trim()));
  if (ids.size !== 1) {
    return null;
  }
  const [id] = ids;
  return API_CALL_ID.test(id) ? id : null;
}

/**
 * The click-to-dials announced for this page's DN: each until its deadline (when it was first seen plus that call's
 * ring time, or the longest one the service allows: after that the service gives up on the call anyway), or until
 * call.ended. At most `limit` of them. An id is
 * claimed by the one INVITE answered for it; a claimed id stays (so a replayed event cannot offer it again) until
 * call.ended or until newer ids push it out.
 */
export class ClickToDialMemory {
  #entries = new Map();

  #ringMs;

  #limit;

  constructor({ ringMs, limit = CLICK_TO_DIAL_LIMIT }) {
    this.#ringMs = ringMs;
    this.#limit = limit;
  }

  /**
   * Takes in one event of the stream. Returns the call id when the event announced a click-to-dial that can still
   * be answered (new, or seen before and not claimed yet), else null. call.ended forgets its call.
   */
  observe(event, dn, now) {
    this.#expire(now);
    if (event && event.type === 'call.ended') {
      const callId = event.data && event.data.call_id;
      this.#entries.delete(callId);
      return null;
    }
    const found = clickToDialOf(event, dn);
    if (!found) {
      return null;
    }
    const known = this.#entries.get(found.callId);
    if (known) {
      // the deadline counts from the first sighting; a later announcement may only add the request to auto-answer
      known.autoAnswer = known.autoAnswer || found.autoAnswer;
      return known.claimed ? null : known.callId;
    }
    while (this.#entries.size >= this.#limit) {
      this.#entries.delete(this.#entries.keys().next().value);
    }
    const ringMs = found.ringMs === null ? this.#ringMs : Math.min(found.ringMs, this.#ringMs);
    this.#entries.set(found.callId, {
      callId: found.callId, to: found.to, autoAnswer: found.autoAnswer, deadline: now + ringMs, claimed: false,
    });
    return found.callId;
  }

  /** Claims an announced, unclaimed click-to-dial before its deadline: returns {callId, to, autoAnswer}, or null. */
  claim(callId, now) {
    this.#expire(now);
    const entry = this.#entries.get(callId);
    if (!entry || entry.claimed) {
      return null;
    }
    entry.claimed = true;
    return { callId: entry.callId, to: entry.to, autoAnswer: entry.autoAnswer };
  }

  /** The ids that could still be answered, oldest first (for the test hook). */
  pending(now) {
    this.#expire(now);
    return [...this.#entries.values()].filter((entry) => !entry.claimed).map((entry) => entry.callId);
  }

  get size() {
    return this.#entries.size;
  }

  clear() {
    this.#entries.clear();
  }

  #expire(now) {
    for (const [callId, entry] of this.#entries) {
      if (!entry.claimed && entry.deadline <= now) {
        this.#entries.delete(callId);
      }
    }
  }
}

/**
 * Which announced click-to-dial an incoming INVITE is, and whether it is answered without a click:
 * {callId, to, autoAnswer, delaySeconds}, or null for any other call. Only when its X-Call-Id names a click-to-dial
 * in memory that is unclaimed and before its deadline (and this claims it: its REFER may be followed). autoAnswer only
 * when the make request asked for it; Call-Info answer-after=N or Alert-Info auto-answer may then set the delay,
 * nothing more.
 */
export function autoAnswerFor({ xCallIds = [], callInfo = [], alertInfo = [] }, memory, now) {
  const callId = inviteCallId(xCallIds);
  const claimed = callId ? memory.claim(callId, now) : null;
  if (!claimed) {
    return null;
  }
  const requested = requestedAnswerDelay(callInfo, alertInfo);
  return { ...claimed, delaySeconds: requested === null ? 0 : requested };
}

/** How a known click-to-dial shows on screen: "Click-to-dial to 5002" (the user of its destination URI). */
export function clickToDialLabel(to) {
  const text = typeof to === 'string' ? to.trim() : '';
  const user = (/^(?:sips?|tel):([^@;>]+)/i.exec(text.replace(/^.*</, '')) || [])[1] || text;
  return user ? `Click-to-dial to ${user}` : 'Click-to-dial';
}

/**
 * Whether a REFER may be followed on a call: only on a call answered as a known click-to-dial (clickToDialId set),
 * and only when the Refer-To's xcid, if it has one (on the URI, or as a header parameter: Kamailio writes it
 * without angle brackets), is that same call id. referTo is JsSIP's parsed Refer-To (NameAddrHeader).
 */
export function referAllowed(clickToDialId, referTo) {
  if (!clickToDialId || !referTo || !referTo.uri) {
    return false;
  }
  for (const holder of [referTo.uri, referTo]) {
    if (holder.hasParam('xcid') && holder.getParam('xcid') !== clickToDialId) {
      return false;
    }
  }
  return true;
}
