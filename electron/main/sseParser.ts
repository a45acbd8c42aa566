/**
 * A text/event-stream parser as the HTML standard specifies it ("Server-sent
 * events", §9.2.6 interpreting an event stream): lines end with CRLF, LF or
 * CR, possibly split across network chunks; `data:` lines join with '\n';
 * the last event id persists from message to message; a message with no data
 * is not dispatched; comment lines (": ping") are reported separately so a
 * caller can tell a quiet stream from a dead one.
 */
export interface SseMessage {
  /** 'message' when the stream named none. */
  readonly event: string;
  readonly data: string;
  /** The last event id seen so far (the resume point), '' if none. */
  readonly lastEventId: string;
}

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private lastEventId = '';
  /** The last chunk ended on CR: an LF at the start of the next one belongs to it (a split CRLF). */
  private skipLeadingLf = false;

  constructor(
    private readonly onMessage: (message: SseMessage) => void,
    private readonly onComment: (text: string) => void = () => undefined,
  ) {}

  /** Feeds decoded text (use a streaming TextDecoder: it also drops the BOM). */
  push(chunk: string): void {
    if (chunk === '') return;
    if (this.skipLeadingLf && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.skipLeadingLf = false;
    this.buffer += chunk;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i += 1) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      this.line(this.buffer.slice(start, i));
      if (c === '\r') {
        if (i === this.buffer.length - 1) this.skipLeadingLf = true;
        else if (this.buffer[i + 1] === '\n') i += 1;
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) {
      this.onComment(line.slice(1).trimStart());
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        // The standard ignores an id holding NUL.
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      default:
        // 'retry' and unknown fields: the reconnection policy is ours.
        break;
    }
  }

  private dispatch(): void {
    const data = this.data;
    const event = this.event;
    this.data = [];
    this.event = '';
    if (data.length === 0) return;
    this.onMessage({ event: event === '' ? 'message' : event, data: data.join('\n'), lastEventId: this.lastEventId });
  }
}
