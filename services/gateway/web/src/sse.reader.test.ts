import { describe, expect, test } from 'vitest';
import { SseParser } from './sse.reader.js';

describe('SseParser', () => {
  test('parses events split across chunks, with CRLF and comments', () => {
    const p = new SseParser();
    expect(p.push('event: progress\r\nda')).toEqual([]);
    expect(p.push('ta: {"done":1}\r\n\r\n: keep-alive\n\nevent: end\ndata: {"done":2}\n')).toEqual([
      { event: 'progress', data: '{"done":1}' },
    ]);
    expect(p.push('\n')).toEqual([{ event: 'end', data: '{"done":2}' }]);
  });

  test('joins multi-line data, defaults the event name, keeps the id', () => {
    const p = new SseParser();
    expect(p.push('id: 7\ndata: a\ndata:b\n\n')).toEqual([{ event: 'message', data: 'a\nb', id: '7' }]);
  });
});
