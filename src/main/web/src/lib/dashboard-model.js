// The dashboard's state: DNs, active calls, Genesys and backends, kept from API snapshots and event-stream events.
//
// Snapshots and events race: a snapshot may be read before or after an event the page receives while the request
// is in flight. Events received during a load are journalled and applied again on top of the snapshot when it
// arrives. That converges because the stream delivers every change in order: an event the snapshot already
// contained is applied twice to the same end, and any later change has its own event, in the journal or still to
// come. Ended calls are remembered, so a late call.ringing never brings a call back.

import { toEpochMs } from './format.js';

export const PARTS = ['dns', 'calls', 'genesys', 'backends'];

const CALL_STAGES = { initiated: 0, trying: 1, ringing: 2, answered: 3, confirmed: 4 };

const ENDED_REMEMBERED = 2000;

/** The part an event type updates, or null (reset and unknown types). */
export function partOf(type) {
  const family = String(type).split('.')[0];
  return { dn: 'dns', call: 'calls', genesys: 'genesys', backend: 'backends' }[family] || null;
}

/**
 * A DN's status on the dashboard: "available", "busy", "unreachable" (registered, no contact answers) or "offline".
 * The API's availability when it gives one;
 * otherwise derived: not registered is offline, registered with an active call is busy, and registered without
 * known calls is available (the API's own definition: registered and in no active call).
 */
export function dnStatus(entry) {
  if (['available', 'busy', 'unreachable', 'offline'].includes(entry.availability)) {
    return entry.availability;
  }
  if (!entry.registered) {
    return 'offline';
  }
  return entry.activeCallCount > 0 ? 'busy' : 'available';
}

/**
 * Genesys on the dashboard: "active" while connected (the API's "active" and "trying": Kamailio still routes
 * there), "unknown" while nobody knows (no probe yet, Kamailio away), "unreachable" otherwise ("unreachable",
 * "disabled").
 */
export function genesysStatus(genesys) {
  if (!genesys) {
    return 'unknown';
  }
  if (genesys.connected) {
    return 'active';
  }
  return genesys.status === 'unknown' || !genesys.status ? 'unknown' : 'unreachable';
}

function dnFromList(entry) {
  return {
    dn: String(entry.dn),
    sipUri: entry.sip_uri || null,
    registered: entry.status === 'registered' || entry.registered === true,
    availability: entry.availability || null,
    activeCallCount: Number(entry.active_call_count) || 0,
    contactCount: Number(entry.contact_count) || 0,
  };
}

function callFrom(data, previous) {
  const stageOf = (state) => (state in CALL_STAGES ? CALL_STAGES[state] : 0);
  const state = previous && stageOf(previous.state) > stageOf(data.state) ? previous.state : data.state || 'initiated';
  return {
    callId: String(data.call_id),
    from: data.from ?? previous?.from ?? '',
    to: data.to ?? previous?.to ?? '',
    fromDn: data.from_dn ?? previous?.fromDn ?? null,
    dns: Array.isArray(data.dns) ? data.dns.map(String) : previous?.dns || [],
    state,
    createdAtMs: toEpochMs(data.created_at) ?? previous?.createdAtMs ?? null,
    answeredAtMs: toEpochMs(data.answered_at) ?? previous?.answeredAtMs ?? null,
    dialogId: data.dialog_id ?? previous?.dialogId ?? null,
  };
}

export class DashboardModel {
  constructor() {
    this.dns = new Map();
    this.contacts = new Map(); // dn -> {contacts: [...], forCount}
    this.calls = new Map();
    this.ended = new Set();
    this.genesys = null;
    this.backends = {};
    this.loaded = new Set();
    this.journal = [];
    this.journalStart = 0;
    this.loadsInFlight = 0;
    this.serverOffsetMs = 0;
  }

  /** Marks the start of a snapshot request; pass the result to finishLoad with the body. */
  beginLoad(part) {
    this.loadsInFlight++;
    return { part, mark: this.journalStart + this.journal.length };
  }

  /** Applies a snapshot body (null: the load failed) and the events received since its request was sent. */
  finishLoad(token, body) {
    if (body) {
      this.applySnapshot(token.part, body);
      const from = Math.max(0, token.mark - this.journalStart);
      for (const event of this.journal.slice(from)) {
        if (partOf(event.type) === token.part) {
          this.applyEvent(event, { journal: false });
        }
      }
    }
    this.loadsInFlight = Math.max(0, this.loadsInFlight - 1);
    if (this.loadsInFlight === 0) {
      this.journalStart += this.journal.length;
      this.journal = [];
    }
  }

  applySnapshot(part, body) {
    this.loaded.add(part);
    switch (part) {
      case 'dns': {
        const next = new Map();
        for (const entry of body.dns || []) {
          const dn = dnFromList(entry);
          next.set(dn.dn, dn);
        }
        this.dns = next;
        for (const dn of [...this.contacts.keys()]) {
          if (!next.has(dn) || !next.get(dn).registered) {
            this.contacts.delete(dn);
          }
        }
        break;
      }
      case 'calls': {
        const next = new Map();
        for (const call of body.calls || []) {
          next.set(String(call.call_id), callFrom(call, this.calls.get(String(call.call_id))));
        }
        this.calls = next;
        break;
      }
      case 'genesys':
        this.genesys = { connected: !!body.connected, status: body.status || 'unknown', server: body.server || '',
          error: body.error || null };
        break;
      case 'backends': {
        const next = {};
        for (const [name, component] of Object.entries(body.components || {})) {
          next[name] = { status: component.status || 'unknown', lastError: component.last_error || null };
        }
        this.backends = next;
        break;
      }
      default:
        break;
    }
  }

  /**
   * Applies one event ({type, data, ...} as the stream sends it). Returns what changed: {part, dn} where dn is set
   * when that DN's contacts should be looked up again (it registered).
   */
  applyEvent(event, { journal = true } = {}) {
    const part = partOf(event.type);
    if (journal && this.loadsInFlight > 0 && part) {
      this.journal.push(event);
    }
    const data = event.data || {};
    switch (part) {
      case 'dns': {
        const dn = String(data.dn ?? event.subject);
        const previous = this.dns.get(dn);
        const registered = data.registered ?? event.type !== 'dn.unregistered';
        this.dns.set(dn, {
          dn,
          sipUri: data.sip_uri ?? previous?.sipUri ?? null,
          registered,
          availability: data.status ?? null,
          activeCallCount: Number(data.active_call_count ?? previous?.activeCallCount) || 0,
          contactCount: Number(data.contact_count ?? previous?.contactCount) || 0,
        });
        if (!registered) {
          this.contacts.delete(dn);
        }
        return { part, dn: event.type === 'dn.registered' ? dn : null };
      }
      case 'calls': {
        const callId = String(data.call_id ?? event.subject);
        if (event.type === 'call.ended') {
          this.calls.delete(callId);
          this.ended.add(callId);
          if (this.ended.size > ENDED_REMEMBERED) {
            this.ended.delete(this.ended.values().next().value);
          }
        }
        else if (!this.ended.has(callId)) {
          this.calls.set(callId, callFrom({ ...data, call_id: callId }, this.calls.get(callId)));
        }
        return { part, dn: null };
      }
      case 'genesys':
        this.genesys = { connected: event.type === 'genesys.up' || !!data.connected,
          status: data.status || (event.type === 'genesys.up' ? 'active' : 'unreachable'),
          server: data.server || this.genesys?.server || '', error: data.error || null };
        return { part, dn: null };
      case 'backends': {
        const name = String(data.backend ?? event.subject);
        this.backends = { ...this.backends,
          [name]: { status: data.status || (event.type === 'backend.up' ? 'up' : 'down'), lastError: data.error || null } };
        return { part, dn: null };
      }
      default:
        return { part: null, dn: null };
    }
  }

  /** A snapshot of a call list must not revive calls the stream has seen end. */
  isEnded(callId) {
    return this.ended.has(callId);
  }

  setContacts(dn, contacts) {
    const entry = this.dns.get(dn);
    this.contacts.set(dn, { contacts, forCount: entry ? entry.contactCount : contacts.length });
  }

  /** Registered DNs whose contact details are missing or were read for another number of contacts. */
  dnsNeedingContacts() {
    return [...this.dns.values()]
      .filter((d) => d.registered && d.contactCount > 0)
      .filter((d) => !this.contacts.has(d.dn) || this.contacts.get(d.dn).forCount !== d.contactCount)
      .map((d) => d.dn);
  }

  sortedDns() {
    const collator = new Intl.Collator('en', { numeric: true });
    return [...this.dns.values()].sort((a, b) => collator.compare(a.dn, b.dn));
  }

  sortedCalls() {
    return [...this.calls.values()].filter((c) => !this.ended.has(c.callId))
      .sort((a, b) => (a.createdAtMs ?? 0) - (b.createdAtMs ?? 0) || a.callId.localeCompare(b.callId));
  }

  totals() {
    const totals = { available: 0, busy: 0, unreachable: 0, offline: 0, calls: this.sortedCalls().length };
    for (const entry of this.dns.values()) {
      totals[dnStatus(entry)]++;
    }
    return totals;
  }

  /** Seconds a call has been answered, by the server's clock as estimated from its responses; 0 before the answer. */
  answeredSeconds(call, nowMs = Date.now()) {
    if (call.answeredAtMs === null || call.answeredAtMs === undefined) {
      return 0;
    }
    return Math.max(0, Math.floor((nowMs + this.serverOffsetMs - call.answeredAtMs) / 1000));
  }

  /** Learns the server's clock from a response's Date header (1 s resolution; good enough for mm:ss). */
  observeServerTime(serverMs, receivedAtMs) {
    if (Number.isFinite(serverMs)) {
      // Date is truncated to the second: the server's time was in [serverMs, serverMs + 1000).
      this.serverOffsetMs = serverMs + 500 - receivedAtMs;
    }
  }
}
