// A Server-Sent Events parser for fetch() streams (EventSource cannot send the API key header). It follows the
// WHATWG "interpret an event stream" rules: LF, CR or CRLF line ends (also split across chunks), one optional
// space after the colon, multi-line data joined with LF, an id that persists until changed, and events without
// data not dispatched. Comment lines are reported too: the service sends ": connected" first and a heartbeat
// comment every 15 s, which tells the page the stream is alive.

export class SseParser {
  constructor() {
    this.buffer = '';
    this.pendingCr = false;
    this.started = false;
    this.data = [];
    this.eventType = '';
    this.lastEventId = '';
    this.retry = null;
  }

  /** Feeds decoded text; returns what it completed: {kind:'event', event, data, id} and {kind:'comment', text}. */
  push(text) {
    const out = [];
    let chunk = text;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) {
        chunk = chunk.slice(1);
      }
    }
    if (this.pendingCr && chunk.startsWith('\n')) {
      chunk = chunk.slice(1);
    }
    this.pendingCr = false;
    this.buffer += chunk;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') {
        continue;
      }
      this.line(this.buffer.slice(start, i), out);
      if (c === '\r') {
        if (i + 1 === this.buffer.length) {
          this.pendingCr = true;
        }
        else if (this.buffer[i + 1] === '\n') {
          i++;
        }
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  line(line, out) {
    if (line === '') {
      if (this.data.length > 0) {
        out.push({ kind: 'event', event: this.eventType || 'message', data: this.data.join('\n'), id: this.lastEventId });
      }
      this.data = [];
      this.eventType = '';
      return;
    }
    if (line.startsWith(':')) {
      out.push({ kind: 'comment', text: line.slice(1).trim() });
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.lastEventId = value;
        }
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) {
          this.retry = Number(value);
        }
        break;
      default:
        break;
    }
  }
}
