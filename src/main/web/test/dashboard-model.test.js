import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DashboardModel, dnStatus, genesysStatus, partOf } from '../src/lib/dashboard-model.js';
import { formatDuration, toEpochMs } from '../src/lib/format.js';

const LIST = { dns: [
  { dn: '5001', sip_uri: 'sip:5001@127.0.0.1', status: 'registered', availability: 'available', active_call_count: 0, contact_count: 1 },
  { dn: '5002', sip_uri: 'sip:5002@127.0.0.1', status: 'registered', availability: 'busy', active_call_count: 1, contact_count: 1 },
  { dn: '5010', sip_uri: 'sip:5010@127.0.0.1', status: 'offline', availability: 'offline', active_call_count: 0, contact_count: 0 },
  { dn: '5003', sip_uri: 'sip:5003@127.0.0.1', status: 'offline', availability: 'offline', active_call_count: 0, contact_count: 0 },
], count: 4 };

const event = (type, data, subject) => ({ type, data, subject: subject ?? data.call_id ?? data.dn });

test('DN status: the API availability, else derived from registration and calls', () => {
  assert.equal(dnStatus({ availability: 'busy', registered: true }), 'busy');
  assert.equal(dnStatus({ availability: null, registered: false }), 'offline');
  assert.equal(dnStatus({ availability: null, registered: true, activeCallCount: 2 }), 'busy');
  assert.equal(dnStatus({ availability: null, registered: true, activeCallCount: 0 }), 'available');
});

test('Genesys status: connected is active (trying too), unknown stays unknown, the rest unreachable', () => {
  assert.equal(genesysStatus({ connected: true, status: 'trying' }), 'active');
  assert.equal(genesysStatus({ connected: false, status: 'unknown' }), 'unknown');
  assert.equal(genesysStatus({ connected: false, status: 'disabled' }), 'unreachable');
  assert.equal(genesysStatus(null), 'unknown');
});

test('a snapshot gives sorted DNs and totals; events then change them', () => {
  const model = new DashboardModel();
  model.applySnapshot('dns', LIST);
  assert.deepEqual(model.sortedDns().map((d) => d.dn), ['5001', '5002', '5003', '5010']);
  assert.deepEqual(model.totals(), { available: 1, busy: 1, unreachable: 0, offline: 2, calls: 0 });
  const changed = model.applyEvent(event('dn.registered', { dn: '5003', status: 'available', registered: true, contact_count: 1 }));
  assert.deepEqual(changed, { part: 'dns', dn: '5003' });
  model.applyEvent(event('dn.unregistered', { dn: '5001', status: 'offline', registered: false }));
  assert.deepEqual(model.totals(), { available: 1, busy: 1, unreachable: 0, offline: 2, calls: 0 });
  assert.equal(model.dns.get('5001').registered, false);
});

test('an agent whose phone stops answering is unreachable, counted apart, and available again when it answers', () => {
  const model = new DashboardModel();
  model.applySnapshot('dns', LIST);
  model.applyEvent(event('dn.unreachable', { dn: '5002', status: 'unreachable', registered: true, reachable: false }));
  assert.equal(dnStatus(model.dns.get('5002')), 'unreachable');
  assert.equal(model.totals().unreachable, 1);
  model.applyEvent(event('dn.reachable', { dn: '5002', status: 'available', registered: true, reachable: true }));
  assert.equal(dnStatus(model.dns.get('5002')), 'available');
  assert.equal(model.totals().unreachable, 0);
});

test('calls: created by events, never moved back a stage, gone for good once ended', () => {
  const model = new DashboardModel();
  model.applyEvent(event('call.initiated', { call_id: 'c1', from: 'sip:5001@x', to: 'sip:5002@x', state: 'trying', created_at: '2026-11-26T10:00:00Z' }));
  model.applyEvent(event('call.answered', { call_id: 'c1', state: 'confirmed', answered_at: '2026-11-26T10:00:05Z' }));
  model.applyEvent(event('call.ringing', { call_id: 'c1', state: 'ringing' }));
  const call = model.calls.get('c1');
  assert.equal(call.state, 'confirmed');
  assert.equal(call.from, 'sip:5001@x');
  assert.equal(call.answeredAtMs, Date.parse('2026-11-26T10:00:05Z'));
  model.applyEvent(event('call.ended', { call_id: 'c1', state: 'ended' }));
  model.applyEvent(event('call.ringing', { call_id: 'c1', state: 'ringing' }));
  assert.equal(model.sortedCalls().length, 0);
});

test('events received while a snapshot loads are applied again on top of it', () => {
  const model = new DashboardModel();
  const token = model.beginLoad('calls');
  // The stream reports a new call and the end of an old one while the request is in flight...
  model.applyEvent(event('call.initiated', { call_id: 'new', state: 'ringing', created_at: 1764151200 }));
  model.applyEvent(event('call.ended', { call_id: 'old' }));
  // ...and the snapshot was read before both.
  model.finishLoad(token, { calls: [{ call_id: 'old', from: 'a', to: 'b', state: 'confirmed', dns: [], created_at: 1764151100, answered_at: 1764151105 }] });
  assert.deepEqual(model.sortedCalls().map((c) => c.callId), ['new']);
  assert.equal(model.journal.length, 0);
});

test('a snapshot read after the events it contains converges to the same state', () => {
  const model = new DashboardModel();
  model.applySnapshot('dns', LIST);
  const token = model.beginLoad('dns');
  model.applyEvent(event('dn.busy', { dn: '5001', status: 'busy', registered: true, active_call_count: 1, contact_count: 1 }));
  model.applyEvent(event('dn.available', { dn: '5001', status: 'available', registered: true, active_call_count: 0, contact_count: 1 }));
  model.finishLoad(token, { dns: LIST.dns.map((d) => (d.dn === '5001' ? { ...d, availability: 'busy', active_call_count: 1 } : d)) });
  assert.equal(dnStatus(model.dns.get('5001')), 'available');
});

test('backends and Genesys from snapshots and events', () => {
  const model = new DashboardModel();
  model.applySnapshot('backends', { components: { kamailio: { status: 'up' }, asterisk: { status: 'not_configured' } } });
  model.applySnapshot('genesys', { connected: false, status: 'unreachable', server: '127.0.0.1:5090', error: 'x' });
  model.applyEvent(event('backend.down', { backend: 'kamailio', status: 'down', error: 'timeout' }, 'kamailio'));
  model.applyEvent(event('genesys.up', { connected: true, server: '127.0.0.1:5090', status: 'active' }, '127.0.0.1:5090'));
  assert.deepEqual(model.backends.kamailio, { status: 'down', lastError: 'timeout' });
  assert.equal(model.backends.asterisk.status, 'not_configured');
  assert.equal(genesysStatus(model.genesys), 'active');
  assert.equal(partOf('reset'), null);
});

test('contacts are looked up for registered DNs whose count changed', () => {
  const model = new DashboardModel();
  model.applySnapshot('dns', LIST);
  assert.deepEqual(model.dnsNeedingContacts(), ['5001', '5002']);
  model.setContacts('5001', [{ contact: 'sip:x', transport: 'ws' }]);
  assert.deepEqual(model.dnsNeedingContacts(), ['5002']);
  model.applySnapshot('dns', { dns: LIST.dns.map((d) => (d.dn === '5001' ? { ...d, contact_count: 2 } : d)) });
  assert.deepEqual(model.dnsNeedingContacts(), ['5001', '5002']);
});

test('durations count from the answer by the server\'s clock', () => {
  const model = new DashboardModel();
  model.observeServerTime(Date.parse('2026-11-26T10:01:00Z'), Date.parse('2026-11-26T10:00:58.500Z'));
  const call = { answeredAtMs: Date.parse('2026-11-26T10:00:00Z') };
  assert.equal(model.answeredSeconds(call, Date.parse('2026-11-26T10:00:58.500Z')), 60);
  assert.equal(model.answeredSeconds({ answeredAtMs: null }), 0);
  assert.equal(formatDuration(61), '01:01');
  assert.equal(formatDuration(3725), '1:02:05');
  assert.equal(formatDuration(-4), '00:00');
  assert.equal(toEpochMs(1764151200), 1764151200000);
  assert.equal(toEpochMs('1764151200'), 1764151200000);
  assert.equal(toEpochMs('2026-11-26T10:00:00Z'), Date.parse('2026-11-26T10:00:00Z'));
  assert.equal(toEpochMs(null), null);
});
