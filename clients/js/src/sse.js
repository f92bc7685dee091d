/**
 * An incremental text/event-stream parser (the WHATWG "event stream interpretation"): feed it decoded text in chunks
 * of any size; it calls onMessage({id, event, data, retry}) for each dispatched message. Comments (":" lines) are
 * ignored, "data" lines are joined with "\n", a message without data is not dispatched, an "id" with NUL is ignored,
 * and the last id persists across messages as the spec's "last event ID buffer".
 */
export class SseParser {
  constructor(onMessage, onRetry) {
    this.onMessage = onMessage;
    this.onRetry = onRetry;
    this.buffer = "";
    this.lastEventId = "";
    this.reset();
  }

  reset() {
    this.event = "";
    this.data = [];
    this.hasData = false;
    this.id = undefined;
  }

  push(text) {
    this.buffer += text;
    let start = 0;
    for (;;) {
      const cr = this.buffer.indexOf("\r", start);
      const lf = this.buffer.indexOf("\n", start);
      if (cr < 0 && lf < 0) break;
      let end;
      let next;
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        if (cr === this.buffer.length - 1) break; // a CR at the end may be half of CRLF: wait for more
        end = cr;
        next = this.buffer[cr + 1] === "\n" ? cr + 2 : cr + 1;
      } else {
        end = lf;
        next = lf + 1;
      }
      this.line(this.buffer.slice(start, end));
      start = next;
    }
    this.buffer = this.buffer.slice(start);
  }

  /** The stream ended: an unterminated message is dropped, as the spec says. */
  end() {
    this.buffer = "";
    this.reset();
  }

  line(line) {
    if (line === "") {
      if (this.id !== undefined) this.lastEventId = this.id;
      if (this.hasData) {
        this.onMessage({ id: this.lastEventId, event: this.event || "message", data: this.data.join("\n") });
      }
      this.reset();
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.event = value;
        break;
      case "data":
        this.data.push(value);
        this.hasData = true;
        break;
      case "id":
        if (!value.includes("\0")) this.id = value;
        break;
      case "retry":
        if (/^\d+$/.test(value) && this.onRetry) this.onRetry(Number(value));
        break;
      default:
        break;
    }
  }
}
