import { describe, expect, it } from 'vitest';
import { SseParser, type SseMessage } from '../../electron/main/sseParser.js';

function parse(chunks: readonly string[]): { messages: SseMessage[]; comments: string[] } {
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const parser = new SseParser(
    (message) => messages.push(message),
    (comment) => comments.push(comment),
  );
  for (const chunk of chunks) parser.push(chunk);
  return { messages, comments };
}

/** Every way of cutting a text in two. */
function everySplit(text: string): string[][] {
  return Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);
}

const STREAM = ': ping\n\nid: 41\nevent: tele-file\ndata: {"kind":"remove","id":"a"}\n\n: ping\n\nevent: reset\ndata: {}\n\n';

describe('SseParser (HTML standard, server-sent events)', () => {
  it('reads named events, their data, the last event id and comments', () => {
    expect(parse([STREAM])).toEqual({
      messages: [
        { event: 'tele-file', data: '{"kind":"remove","id":"a"}', lastEventId: '41' },
        // The id persists: a reset without an id still resumes from 41.
        { event: 'reset', data: '{}', lastEventId: '41' },
      ],
      comments: ['ping', 'ping'],
    });
  });

  it('gives the same messages however the network cuts the stream', () => {
    const whole = parse([STREAM]);
    for (const chunks of everySplit(STREAM)) expect(parse(chunks)).toEqual(whole);
    expect(parse([...STREAM])).toEqual(whole);
  });

  it('accepts CRLF and lone CR line ends, even a CRLF split across two chunks', () => {
    const crlf = STREAM.replaceAll('\n', '\r\n');
    const cr = STREAM.replaceAll('\n', '\r');
    const whole = parse([STREAM]);
    expect(parse([crlf])).toEqual(whole);
    expect(parse([cr])).toEqual(whole);
    for (const chunks of everySplit(crlf)) expect(parse(chunks)).toEqual(whole);
  });

  it('joins data lines with a newline, defaults the event to "message", and drops messages without data', () => {
    expect(parse(['data: one\ndata:two\n\nevent: empty\n\nid: 7\n\ndata\n\n']).messages).toEqual([
      { event: 'message', data: 'one\ntwo', lastEventId: '' },
      // 'data' with no colon is a data line with an empty value; the id of the data-less message still counts.
      { event: 'message', data: '', lastEventId: '7' },
    ]);
  });

  it('keeps a message unfinished until its blank line arrives', () => {
    const messages: SseMessage[] = [];
    const parser = new SseParser((message) => messages.push(message));
    parser.push('event: tele-file\ndata: {}');
    parser.push('\n');
    expect(messages).toEqual([]);
    parser.push('\n');
    expect(messages).toHaveLength(1);
  });

  it('ignores retry, unknown fields, and an id that holds NUL', () => {
    expect(parse(['retry: 10\nfoo: bar\nid: 5\ndata: x\n\nid: a\0b\ndata: y\n\n']).messages).toEqual([
      { event: 'message', data: 'x', lastEventId: '5' },
      { event: 'message', data: 'y', lastEventId: '5' },
    ]);
  });
});
