import { describe, expect, test } from 'vitest';
import { PermanentError, TransientError, isTransient, outcomeForError } from './errors.js';

describe('error vocabulary', () => {
  test('transient and permanent errors map to retry and dead', () => {
    expect(outcomeForError(new TransientError('upstream down')).action).toBe('retry');
    expect(outcomeForError(new PermanentError('poison')).action).toBe('dead');
    expect(outcomeForError(new TypeError('bug')).action).toBe('dead');
  });

  test('driver errors wrapping a network failure are transient', () => {
    const bulk = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { name: 'MongoBulkWriteError' });
    expect(isTransient(bulk)).toBe(true);
    const closed = Object.assign(new Error('connection 3 to 127.0.0.1:27017 closed'), { name: 'MongoNetworkError' });
    expect(outcomeForError(closed).action).toBe('retry');
    const wrapped = new Error('write failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) });
    expect(isTransient(wrapped)).toBe(true);
    expect(isTransient(new Error('E11000 duplicate key'))).toBe(false);
  });
});
