import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser } from '../src/lib/sse.js';

test('parses the service\'s frames: connected comment, named events with ids, heartbeats', () => {
  const parser = new SseParser();
  const out = parser.push(':connected\n\nid:evt-1\nevent:call.ringing\ndata:{"a":1}\n\n:heartbeat\n\n');
  assert.deepEqual(out, [
    { kind: 'comment', text: 'connected' },
    { kind: 'event', event: 'call.ringing', data: '{"a":1}', id: 'evt-1' },
    { kind: 'comment', text: 'heartbeat' },
  ]);
  assert.equal(parser.lastEventId, 'evt-1');
});

test('joins frames split anywhere across chunks, CRLF split between chunks included', () => {
  const text = 'id: evt-2\r\nevent: dn.busy\r\ndata: {"dn":"5001",\r\ndata: "status":"busy"}\r\n\r\n';
  for (let cut = 1; cut < text.length; cut++) {
    const parser = new SseParser();
    const out = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
    assert.deepEqual(out, [{ kind: 'event', event: 'dn.busy', data: '{"dn":"5001",\n"status":"busy"}', id: 'evt-2' }],
      `cut at ${cut}`);
  }
});

test('accepts CR line ends, strips one space only, ignores unknown fields and a BOM', () => {
  const parser = new SseParser();
  const out = parser.push('\ufeffevent:  x\rdata:a\rfoo:bar\rretry:3000\r\r');
  assert.deepEqual(out, [{ kind: 'event', event: ' x', data: 'a', id: '' }]);
  assert.equal(parser.retry, 3000);
});

test('an event without data is not dispatched, and the id persists to later events', () => {
  const parser = new SseParser();
  assert.deepEqual(parser.push('id:evt-3\nevent:x\n\n'), []);
  assert.deepEqual(parser.push('data:y\n\n'), [{ kind: 'event', event: 'message', data: 'y', id: 'evt-3' }]);
});

test('a reset event (the service no longer keeps the events after Last-Event-ID) comes through as such', () => {
  const parser = new SseParser();
  const out = parser.push('event:reset\ndata:{"reason":"reload"}\n\n');
  assert.equal(out[0].event, 'reset');
});
