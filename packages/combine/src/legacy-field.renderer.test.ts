import { describe, expect, test } from 'vitest';
import {
  excelField,
  excelFormula,
  needsExcelWrap,
  plainField,
  quotedField,
  unwrapWrittenCode,
} from './legacy-field.renderer.js';

describe('Excel text wrapping', () => {
  test.each([
    ['00250455', '"=""00250455"""'],
    ['03', '"=""03"""'],
    ['00001', '"=""00001"""'],
    ['0A', '"=""0A"""'],
  ])('%s starts with 0 and has at least 2 characters: wrapped', (value, written) =>
    expect(excelField(value)).toBe(written),
  );

  test.each([
    ['0', 'a single 0'],
    ['', 'empty'],
    ['0.000', '2nd character is .'],
    ['07:25', '3rd character is :'],
    ['0202-10-08', '5th character is -'],
    ['1008', 'does not start with 0'],
    ['SP', 'does not start with 0'],
    [' 01', 'starts with a space'],
  ])('%j stays bare (%s)', (value) => {
    expect(needsExcelWrap(value)).toBe(false);
    expect(excelField(value)).toBe(value);
  });

  test('the exceptions look only at their own position', () => {
    expect(needsExcelWrap('00.5')).toBe(true); // 2nd is 0, not .
    expect(needsExcelWrap('0:25')).toBe(true); // : is 2nd, not 3rd
    expect(needsExcelWrap('000-1')).toBe(true); // - is 4th, not 5th
  });

  test('DEP_CODE form: always a formula, even when empty', () => {
    expect(excelFormula('')).toBe('"="""""');
    expect(excelFormula('7')).toBe('"=""7"""');
  });

  test('values with commas or quotes (only from quoted input fields) are escaped so the line stays whole', () => {
    expect(plainField('A,B')).toBe('"A,B"');
    expect(plainField('A"B')).toBe('"A""B"');
    expect(quotedField('EXT"E BURGER')).toBe('"EXT""E BURGER"');
    expect(excelFormula('0"1')).toBe('"=""0""""1"""');
  });

  test('the department key is the written code with =" and quotes removed, trimmed', () => {
    expect(unwrapWrittenCode('"=""03"""')).toBe('03');
    expect(unwrapWrittenCode('"="""""')).toBe('');
    expect(unwrapWrittenCode('"ICED101"')).toBe('ICED101');
    expect(unwrapWrittenCode('"="" 7 """')).toBe('7');
  });
});
