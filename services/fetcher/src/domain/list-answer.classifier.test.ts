import { describe, expect, test } from 'vitest';
import { UPSTREAM_ERROR_TEXT, classifyListAnswer } from './list-answer.classifier.js';

describe('classifyListAnswer', () => {
  test('comma-separated paths, skipping empty entries and keeping directory parts', () => {
    const body = 'a_BMC_1_rd5000_2026-02-09_20-00_.csv,uploads/2026/a_BMC_1_rd5500_2026-02-09_20-00_.csv,,';
    expect(classifyListAnswer(body)).toEqual({
      kind: 'files',
      paths: ['a_BMC_1_rd5000_2026-02-09_20-00_.csv', 'uploads/2026/a_BMC_1_rd5500_2026-02-09_20-00_.csv'],
    });
  });

  test.each(['', ',', ' , ,\n', '\uFEFF'])('an empty answer %j means nothing was sent', (body) => {
    expect(classifyListAnswer(body)).toEqual({ kind: 'empty' });
  });

  test.each([
    '<!DOCTYPE html><html><body>Session expired</body></html>',
    '\n  <!doctype HTML>\n<title>x</title>',
    '<html><body>500</body></html>',
  ])('an HTML page is a failure, whatever the case (%#)', (body) => {
    expect(classifyListAnswer(body).kind).toBe('html');
  });

  test('the PHP app error text is a failure', () => {
    expect(classifyListAnswer(UPSTREAM_ERROR_TEXT).kind).toBe('error-text');
    expect(classifyListAnswer(`  ${UPSTREAM_ERROR_TEXT}\n`).kind).toBe('error-text');
  });
});
