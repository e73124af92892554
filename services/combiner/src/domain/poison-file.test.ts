import { describe, expect, test } from 'vitest';
import { headProblem } from './poison-file.js';

const RD5000 =
  'STORE_NUM,TRANSDATE,INVOICE,CAS_CODE,ITE_CODE,QUANTITY,UNT_PRIC,AMOUNT,DISCOUNT,SCHARGE,DT,DEP_CODE,DATE,TIME';
const RD5500 = 'INCODE,ITE_DESC,ECR_DESC,DEP_CODE,UNT_PRIC,UNIT,TAXPRCNT1';

describe('headProblem', () => {
  test('accepts the real header, with or without a BOM or CRLF', () => {
    expect(headProblem('rd5000', Buffer.from(RD5000))).toBeNull();
    expect(headProblem('rd5000', Buffer.from(`\uFEFF${RD5000}\r`))).toBeNull();
    expect(headProblem('rd5500', Buffer.from(RD5500))).toBeNull();
  });

  test('an empty file is not poison (it has no rows)', () => {
    expect(headProblem('rd5000', Buffer.alloc(0))).toBeNull();
  });

  test('rejects binary data, HTML pages and another export under the name', () => {
    expect(headProblem('rd5000', Buffer.from([0x53, 0x00, 0xff, 0x12]))).toMatch(/NUL bytes/);
    expect(headProblem('rd5000', Buffer.from('  <!DOCTYPE html><html><body>Login</body>'))).toMatch(
      /HTML page/,
    );
    expect(headProblem('rd1800', Buffer.from('<html><head><title>500</title>'))).toMatch(/HTML page/);
    expect(headProblem('rd5000', Buffer.from(RD5500))).toMatch(/expected rd5000 header/);
    expect(headProblem('rd5000', Buffer.from([0xc3, 0x28, 0xa0, 0xa1]))).toMatch(/not UTF-8/);
  });
});
