import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MONITOR_EVENT_TYPES, monitorNotice } from '../src/lib/monitor.js';

const event = (type, data) => ({ type, data });

test('whisper and barge are said to the agent, with the supervisor DN', () => {
  assert.deepEqual(monitorNotice(event('call.monitor.active', { monitor_id: 'mon-1', mode: 'whisper', supervisor_dn: '5009' })),
    { monitorId: 'mon-1', mode: 'whisper', text: 'Supervisor 5009 is whispering to you' });
  assert.equal(monitorNotice(event('call.monitor.mode_changed', { monitor_id: 'mon-1', mode: 'barge', supervisor_dn: '5009' })).text,
    'Supervisor 5009 has joined the call');
});

test('listen and the end clear the notice; other events are not about a supervisor', () => {
  assert.deepEqual(monitorNotice(event('call.monitor.active', { monitor_id: 'mon-1', mode: 'listen', supervisor_dn: '5009' })),
    { monitorId: 'mon-1', mode: null, text: '' });
  assert.equal(monitorNotice(event('call.monitor.ended', { monitor_id: 'mon-1', mode: 'whisper' })).mode, null);
  assert.equal(monitorNotice(event('call.ended', { call_id: 'c' })), null);
  assert.ok(MONITOR_EVENT_TYPES.includes('call.monitor.mode_changed'));
});

test('a DN that is not one is not shown', () => {
  assert.equal(monitorNotice(event('call.monitor.active', { monitor_id: 'm', mode: 'whisper', supervisor_dn: '<img src=x>' })).text,
    'Supervisor is whispering to you');
});
