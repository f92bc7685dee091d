import { test } from 'node:test';
import assert from 'node:assert/strict';
import JsSIP from 'jssip';
import Parser from 'jssip/lib/Parser.js';
import {
  CLICK_TO_DIAL_LIMIT, ClickToDialMemory, autoAnswerFor, clickToDialLabel, clickToDialOf, inviteCallId, referAllowed,
} from '../src/lib/click-to-dial.js';

const ID = 'call-6dec0f1e2d3c4b5a69788796a5b4c3d2';
const OTHER = 'call-00000000000000000000000000000001';
const RING_MS = 120_000;

/** An event as the service writes it (CallLifecycle): call.initiated carries origin, call.ringing does not. */
function event(type, data) {
  return { id: 'evt-1', type, subject_type: 'call', subject: data.call_id, sequence: 1, data };
}

function initiated(callId = ID, extra = {}) {
  return event('call.initiated', { call_id: callId, from: 'sip:5001@127.0.0.1', to: 'sip:5002@127.0.0.1',
    from_dn: '5001', dns: ['5001', '5002'], state: 'initiated', origin: 'api', auto_answer: true, ...extra });
}

function ringing(callId = ID, extra = {}) {
  return event('call.ringing', { call_id: callId, from_dn: '5001', dns: ['5001'], state: 'ringing', ...extra });
}

const ended = (callId = ID) => event('call.ended', { call_id: callId, from_dn: '5001', origin: 'api', state: 'ended' });

const invite = (xCallIds, callInfo = [], alertInfo = []) => ({ xCallIds, callInfo, alertInfo });

test('only an API click-to-dial from the page\'s own DN is one', () => {
  assert.deepEqual(clickToDialOf(initiated(), '5001'),
    { callId: ID, to: 'sip:5002@127.0.0.1', autoAnswer: true, ringMs: null });
  assert.equal(clickToDialOf(initiated(), '5002'), null, 'the page of the second party (5002)');
  assert.equal(clickToDialOf(initiated(ID, { origin: 'kamailio' }), '5001'), null);
  assert.equal(clickToDialOf(initiated(ID, { origin: undefined }), '5001'), null, 'call.initiated must say api');
  assert.equal(clickToDialOf(initiated('5f2a1c@127.0.0.1', { origin: 'api' }), '5001'), null, 'a SIP Call-ID');
  assert.equal(clickToDialOf(initiated('CALL-6DEC0F1E2D3C4B5A69788796A5B4C3D2'), '5001'), null);
  assert.equal(clickToDialOf(ringing(), '5001').callId, ID, 'call.ringing carries no origin');
  assert.equal(clickToDialOf(ringing(ID, { origin: 'kamailio' }), '5001'), null);
  assert.equal(clickToDialOf(event('call.answered', initiated().data), '5001'), null);
  assert.equal(clickToDialOf(event('dn.busy', { dn: '5001' }), '5001'), null);
  assert.equal(clickToDialOf({ type: 'call.initiated', data: 'text' }, '5001'), null);
  assert.equal(clickToDialOf(null, '5001'), null);
  assert.equal(clickToDialOf(initiated(), null), null);
});

test('an INVITE names one API call id in X-Call-Id, or none', () => {
  assert.equal(inviteCallId([ID]), ID);
  assert.equal(inviteCallId([` ${ID} `, ID]), ID, 'the same value twice');
  assert.equal(inviteCallId([ID, OTHER]), null, 'two different ids');
  assert.equal(inviteCallId([]), null);
  assert.equal(inviteCallId(undefined), null);
  assert.equal(inviteCallId([`${ID}, ${OTHER}`]), null);
  assert.equal(inviteCallId(['5f2a1c@127.0.0.1']), null);
});

test('a known click-to-dial is answered at once, once, and only before its deadline', () => {
  const memory = new ClickToDialMemory({ ringMs: RING_MS });
  assert.equal(memory.observe(initiated(), '5001', 1000), ID);
  assert.deepEqual(memory.pending(1000), [ID]);

  assert.deepEqual(autoAnswerFor(invite([ID]), memory, 2000),
    { callId: ID, to: 'sip:5002@127.0.0.1', autoAnswer: true, delaySeconds: 0 });
  assert.equal(autoAnswerFor(invite([ID]), memory, 2001), null, 'an id answers one INVITE');
  assert.equal(memory.observe(ringing(), '5001', 2002), null, 'a later event does not offer it again');

  const late = new ClickToDialMemory({ ringMs: RING_MS });
  late.observe(initiated(), '5001', 1000);
  assert.equal(autoAnswerFor(invite([ID]), late, 1000 + RING_MS), null, 'at the deadline it is gone');
  assert.deepEqual(late.pending(1000 + RING_MS), []);
});

test('the deadline counts from the first sighting; call.ended forgets the call', () => {
  const memory = new ClickToDialMemory({ ringMs: RING_MS });
  memory.observe(initiated(), '5001', 0);
  assert.equal(memory.observe(ringing(), '5001', RING_MS - 1), ID, 'still answerable');
  assert.equal(autoAnswerFor(invite([ID]), memory, RING_MS), null, 'call.ringing did not move the deadline');

  memory.observe(initiated(OTHER), '5001', 0);
  memory.observe(ended(OTHER), '5001', 1);
  assert.equal(autoAnswerFor(invite([OTHER]), memory, 2), null);
  assert.equal(memory.size, 0);
});

test('everything else rings: unknown ids, no X-Call-Id, From controller, Call-Info answer-after, Alert-Info', () => {
  const memory = new ClickToDialMemory({ ringMs: RING_MS });
  memory.observe(initiated(), '5001', 0);
  assert.equal(autoAnswerFor(invite([OTHER], ['<sip:x>;answer-after=0']), memory, 1), null);
  assert.equal(autoAnswerFor(invite([], ['<sip:x>;answer-after=0'], ['<http://x>;info=alert-autoanswer']), memory, 1), null);
  assert.equal(autoAnswerFor({}, memory, 1), null);
  memory.observe(initiated(OTHER, { from_dn: '5002' }), '5001', 0);
  assert.equal(autoAnswerFor(invite([OTHER]), memory, 1), null, 'a click-to-dial of another DN');
  assert.deepEqual(memory.pending(1), [ID], 'refused INVITEs claim nothing');
});

test('answer-after only shapes the delay of an auto-answer already granted', () => {
  const memory = new ClickToDialMemory({ ringMs: RING_MS });
  memory.observe(initiated(), '5001', 0);
  assert.equal(autoAnswerFor(invite([ID], ['<sip:x>;answer-after=3']), memory, 1).delaySeconds, 3);
  memory.observe(initiated(OTHER), '5001', 0);
  assert.equal(autoAnswerFor(invite([OTHER], [], ['<http://x>;info=alert-autoanswer']), memory, 1).delaySeconds, 0);
});

test('the memory is bounded: the oldest ids go first', () => {
  const memory = new ClickToDialMemory({ ringMs: RING_MS });
  const id = (n) => `call-${n.toString(16).padStart(32, '0')}`;
  for (let n = 1; n <= CLICK_TO_DIAL_LIMIT + 10; n++) {
    memory.observe(initiated(id(n)), '5001', n);
  }
  assert.equal(memory.size, CLICK_TO_DIAL_LIMIT);
  assert.equal(autoAnswerFor(invite([id(1)]), memory, 100), null);
  assert.equal(autoAnswerFor(invite([id(10)]), memory, 100), null);
  assert.equal(autoAnswerFor(invite([id(11)]), memory, 100).callId, id(11));
  assert.equal(autoAnswerFor(invite([id(CLICK_TO_DIAL_LIMIT + 10)]), memory, 100).callId, id(CLICK_TO_DIAL_LIMIT + 10));
  memory.clear();
  assert.equal(memory.size, 0);
});

const referTo = (value) => JsSIP.Grammar.parse(value, 'Refer_To');

test('a REFER is followed only on a known click-to-dial, with its own xcid or none', () => {
  assert.ok(referAllowed(ID, referTo(`sip:5002@127.0.0.1;xcid=${ID}`)), 'Kamailio\'s form (a header parameter)');
  assert.ok(referAllowed(ID, referTo(`<sip:5002@127.0.0.1;xcid=${ID}>`)));
  assert.ok(referAllowed(ID, referTo('sip:5002@127.0.0.1')), 'no xcid');
  assert.ok(!referAllowed(ID, referTo(`sip:5002@127.0.0.1;xcid=${OTHER}`)));
  assert.ok(!referAllowed(ID, referTo(`<sip:5002@127.0.0.1;xcid=${ID}>;xcid=${OTHER}`)), 'two xcids that disagree');
  assert.ok(!referAllowed(ID, referTo('sip:5002@127.0.0.1;xcid')), 'an xcid without a value');
  assert.ok(!referAllowed(ID, referTo(`sip:5002@127.0.0.1;xcid=${ID.toUpperCase()}`)));
  assert.ok(!referAllowed(null, referTo(`sip:5002@127.0.0.1;xcid=${ID}`)), 'not a known click-to-dial');
  assert.ok(!referAllowed(ID, null));
});

test('a known click-to-dial shows its destination', () => {
  assert.equal(clickToDialLabel('sip:5002@127.0.0.1'), 'Click-to-dial to 5002');
  assert.equal(clickToDialLabel('"Bob" <sip:+4930123@pstn.example.com;user=phone>'), 'Click-to-dial to +4930123');
  assert.equal(clickToDialLabel('tel:+4930123'), 'Click-to-dial to +4930123');
  assert.equal(clickToDialLabel('5002'), 'Click-to-dial to 5002');
  assert.equal(clickToDialLabel(null), 'Click-to-dial');
});

/** An INVITE as JsSIP parses it off the WebSocket (header names in any case). */
function parsedInvite(...headers) {
  const text = ['INVITE sip:5001@127.0.0.1 SIP/2.0', 'Via: SIP/2.0/WSS 127.0.0.1;branch=z9hG4bK1',
    'From: <sip:controller@127.0.0.1>;tag=1', 'To: <sip:5001@127.0.0.1>', 'Call-ID: c2d@127.0.0.1', 'CSeq: 1 INVITE',
    'Max-Forwards: 70', ...headers, 'Content-Length: 0', '', ''].join('\r\n');
  const request = Parser.parseMessage(text, {});
  return { xCallIds: request.getHeaders('X-Call-Id'), callInfo: request.getHeaders('Call-Info'),
    alertInfo: request.getHeaders('Alert-Info') };
}

test('the headers read off a parsed INVITE decide as the lists above do', () => {
  const memory = new ClickToDialMemory({ ringMs: RING_MS });
  memory.observe(initiated(), '5001', 0);
  assert.equal(autoAnswerFor(parsedInvite('Call-Info: <sip:x>;answer-after=0'), memory, 1), null, 'no X-Call-Id');
  assert.equal(autoAnswerFor(parsedInvite(`X-Call-Id: ${OTHER}`), memory, 1), null);
  assert.deepEqual(autoAnswerFor(parsedInvite(`x-call-id: ${ID}`, 'Call-Info: <sip:x>;answer-after=2'), memory, 1),
    { callId: ID, to: 'sip:5002@127.0.0.1', autoAnswer: true, delaySeconds: 2 });
});

test('a click-to-dial made without auto_answer is recognized (its REFER may be followed) but rings', () => {
  const memory = new ClickToDialMemory({ ringMs: RING_MS });
  memory.observe(initiated(ID, { auto_answer: false }), '5001', 0);
  assert.deepEqual(autoAnswerFor(invite([ID], ['<sip:k>;answer-after=0']), memory, 1),
    { callId: ID, to: 'sip:5002@127.0.0.1', autoAnswer: false, delaySeconds: 0 }, 'answer-after does not override it');

  const unsaid = new ClickToDialMemory({ ringMs: RING_MS });
  unsaid.observe(initiated(ID, { auto_answer: undefined }), '5001', 0);
  assert.equal(autoAnswerFor(invite([ID]), unsaid, 1).autoAnswer, false, 'an announcement that does not ask rings');
});

test('the call\'s own ring time bounds its deadline, never beyond the service\'s longest', () => {
  const memory = new ClickToDialMemory({ ringMs: RING_MS });
  memory.observe(initiated(ID, { ring_timeout: 20 }), '5001', 0);
  assert.equal(autoAnswerFor(invite([ID]), memory, 20_000), null, '20 s after it was announced');

  const long = new ClickToDialMemory({ ringMs: RING_MS });
  long.observe(initiated(ID, { ring_timeout: 3600 }), '5001', 0);
  assert.equal(autoAnswerFor(invite([ID]), long, RING_MS), null, 'capped at the longest ring time');

  const odd = new ClickToDialMemory({ ringMs: RING_MS });
  odd.observe(initiated(ID, { ring_timeout: '20' }), '5001', 0);
  assert.equal(autoAnswerFor(invite([ID]), odd, 20_000).callId, ID, 'a malformed ring_timeout: the longest');
});
