import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DN_PATTERN, instanceIdFor, isLoopbackUdpHostCandidate, isUnusableHoldOffer, mediaStatsFrom,
  moveReferToParamsToUri, partyLabel, requestedAnswerDelay, sipSummary, webRtcHoldOffer,
} from '../src/lib/sip.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('the instance id is a plain UUID, the same on every load, different per DN and domain', () => {
  const id = instanceIdFor('5001', '127.0.0.1');
  assert.match(id, UUID);
  assert.equal(instanceIdFor('5001', '127.0.0.1'), id);
  const ids = new Set();
  for (let dn = 1000; dn < 11000; dn++) {
    ids.add(instanceIdFor(String(dn), '127.0.0.1'));
  }
  assert.equal(ids.size, 10000);
  assert.notEqual(instanceIdFor('5001', '10.0.0.1'), id);
});

test('DNs: the API grammar without #', () => {
  assert.ok(DN_PATTERN.test('5001'));
  assert.ok(DN_PATTERN.test('agent.7_b-+*'));
  for (const bad of ['', '50#1', '5001@x', '5 01', 'x'.repeat(65), '<sip:5001>']) {
    assert.ok(!DN_PATTERN.test(bad), bad);
  }
});

test('the delay an INVITE asks for: Call-Info answer-after=N (capped at 60 s), Alert-Info auto-answer, else none', () => {
  assert.equal(requestedAnswerDelay(['<sip:signaling-api.invalid>;answer-after=0']), 0);
  assert.equal(requestedAnswerDelay(['<http://x>;purpose=icon', '<sip:x>; answer-after="3"']), 3);
  assert.equal(requestedAnswerDelay(['<sip:x>;answer-after=9999']), 60);
  assert.equal(requestedAnswerDelay([], ['<http://x>;info=alert-autoanswer']), 0);
  assert.equal(requestedAnswerDelay(['<sip:x>;purpose=info']), null);
  assert.equal(requestedAnswerDelay(), null);
});

const KAMAILIO_HOLD = ['v=0', 'o=kamailio 0 0 IN IP4 0.0.0.0', 's=kamailio', 'c=IN IP4 0.0.0.0', 't=0 0',
  'm=audio 9 RTP/AVP 8 0', ''].join('\r\n');

test('Kamailio\'s hold offer is recognised and rewritten into an inactive ICE/DTLS offer', () => {
  assert.ok(isUnusableHoldOffer(KAMAILIO_HOLD));
  const offer = webRtcHoldOffer(KAMAILIO_HOLD);
  assert.match(offer, /^m=audio 9 UDP\/TLS\/RTP\/SAVPF 8 0\r$/m);
  assert.match(offer, /^a=fingerprint:sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\r$/m);
  assert.match(offer, /^a=inactive\r$/m);
  assert.match(offer, /^a=rtpmap:8 PCMA\/8000\r$/m);
  assert.match(offer, /^a=rtpmap:0 PCMU\/8000\r$/m);
  assert.match(offer, /^a=ice-ufrag:\S{4,}\r$/m);
  assert.match(offer, /^a=ice-pwd:\S{22,}\r$/m);
  assert.ok(offer.endsWith('\r\n'));
  assert.ok(!isUnusableHoldOffer(offer));
});

test('browser offers and plain RTP offers that are not on hold are left alone', () => {
  const webrtc = KAMAILIO_HOLD.replace('c=IN IP4 0.0.0.0', 'c=IN IP4 127.0.0.1') + 'a=fingerprint:sha-256 AA:BB\r\na=inactive\r\n';
  assert.ok(!isUnusableHoldOffer(webrtc));
  assert.ok(!isUnusableHoldOffer(KAMAILIO_HOLD.replace('c=IN IP4 0.0.0.0', 'c=IN IP4 10.0.0.5')));
  assert.ok(isUnusableHoldOffer(KAMAILIO_HOLD.replace('c=IN IP4 0.0.0.0', 'c=IN IP4 10.0.0.5') + 'a=sendonly\r\n'));
  assert.ok(!isUnusableHoldOffer(undefined));
});

test('dynamic payload types keep their rtpmap; unknown ones without one are dropped', () => {
  const sdp = 'v=0\r\nc=IN IP4 0.0.0.0\r\nm=audio 9 RTP/AVP 111 96 0\r\na=rtpmap:111 opus/48000/2\r\n';
  const offer = webRtcHoldOffer(sdp);
  assert.match(offer, /^m=audio 9 UDP\/TLS\/RTP\/SAVPF 111 0\r$/m);
  assert.match(offer, /^a=rtpmap:111 opus\/48000\/2\r$/m);
});

test('loopback UDP host candidates are recognised from the object or the candidate line', () => {
  assert.ok(isLoopbackUdpHostCandidate({ candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host generation 0' }));
  assert.ok(isLoopbackUdpHostCandidate({ protocol: 'udp', type: 'host', address: '127.0.0.1' }));
  assert.ok(!isLoopbackUdpHostCandidate({ candidate: 'candidate:1 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active' }));
  assert.ok(!isLoopbackUdpHostCandidate({ candidate: 'candidate:1 1 udp 2122260223 192.0.2.2 40000 typ host' }));
  assert.ok(!isLoopbackUdpHostCandidate({ candidate: 'candidate:2 1 udp 1686052607 127.0.0.1 40000 typ srflx raddr 0.0.0.0' }));
  assert.ok(!isLoopbackUdpHostCandidate(null));
});

test('media stats follow the selected pair (Chromium transport, Firefox selected flag) and audio RTP', () => {
  const chromium = [
    { id: 'T1', type: 'transport', selectedCandidatePairId: 'CP2' },
    { id: 'CP1', type: 'candidate-pair', localCandidateId: 'L0', remoteCandidateId: 'R0', state: 'failed' },
    { id: 'CP2', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', state: 'succeeded' },
    { id: 'L1', type: 'local-candidate', address: '127.0.0.1', port: 40000, protocol: 'udp' },
    { id: 'R1', type: 'remote-candidate', address: '127.0.0.1', port: 41000, protocol: 'udp' },
    { id: 'IN', type: 'inbound-rtp', kind: 'audio', bytesReceived: 12000 },
    { id: 'OUT', type: 'outbound-rtp', kind: 'audio', bytesSent: 11000 },
  ];
  assert.deepEqual(mediaStatsFrom(chromium), { bytesReceived: 12000, bytesSent: 11000, localAddress: '127.0.0.1',
    localPort: 40000, remoteAddress: '127.0.0.1', remotePort: 41000, protocol: 'udp', candidatePairState: 'succeeded' });
  const firefox = [
    { id: 'CP', type: 'candidate-pair', selected: true, localCandidateId: 'L', remoteCandidateId: 'R', state: 'succeeded' },
    { id: 'L', type: 'local-candidate', address: '127.0.0.1', port: 1, protocol: 'udp' },
    { id: 'R', type: 'remote-candidate', address: '127.0.0.2', port: 2, protocol: 'udp' },
  ];
  assert.equal(mediaStatsFrom(firefox).remoteAddress, '127.0.0.2');
  assert.equal(mediaStatsFrom([]).localAddress, null);
});

test('party labels and SIP summaries', () => {
  assert.equal(partyLabel('Alice', '5002'), 'Alice (5002)');
  assert.equal(partyLabel('', '5002'), '5002');
  assert.equal(partyLabel('5002', '5002'), '5002');
  assert.deepEqual(sipSummary('INVITE sip:5002@127.0.0.1 SIP/2.0\r\nCall-ID: abc@x\r\nCSeq: 1 INVITE\r\n\r\n'),
    { firstLine: 'INVITE sip:5002@127.0.0.1 SIP/2.0', callId: 'abc@x', cseq: '1 INVITE' });
  assert.equal(sipSummary('SIP/2.0 200 OK\r\ni: short\r\n').callId, 'short');
  assert.equal(sipSummary('REFER sip:5001@h SIP/2.0\r\nRefer-To: <sip:5002@127.0.0.1;xcid=call-1>\r\n\r\n').referTo,
    '<sip:5002@127.0.0.1;xcid=call-1>');
  assert.equal(sipSummary('REFER sip:5001@h SIP/2.0\r\nr: sip:5002@h;xcid=call-2\r\n\r\n').referTo, 'sip:5002@h;xcid=call-2');
  assert.equal(sipSummary('INVITE sip:5002@h SIP/2.0\r\nCSeq: 1 INVITE\r\n\r\n').referTo, undefined);
});

test('Refer-To parameters written without angle brackets (dlg.bridge_dlg) go onto the URI that is called', async () => {
  const { default: JsSIP } = await import('jssip');
  const parse = (value) => JsSIP.Grammar.parse(value, 'Refer_To');
  const bare = parse('sip:5002@127.0.0.1;xcid=call-6dec');
  assert.equal(bare.uri.hasParam('xcid'), false); // what JsSIP would call without the fix
  assert.deepEqual(moveReferToParamsToUri(bare), ['xcid']);
  assert.equal(bare.uri.toString(), 'sip:5002@127.0.0.1;xcid=call-6dec');
  const bracketed = parse('<sip:5002@127.0.0.1;xcid=call-6dec>');
  assert.deepEqual(moveReferToParamsToUri(bracketed), []);
  assert.equal(bracketed.uri.toString(), 'sip:5002@127.0.0.1;xcid=call-6dec');
  assert.deepEqual(moveReferToParamsToUri(null), []);
});
