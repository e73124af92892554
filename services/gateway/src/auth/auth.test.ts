import { describe, expect, test } from 'vitest';
import { ApiKeyStore, hasRole, presentedKey, sha256Hex } from './api-keys.js';
import { BranchScope } from './branch-scope.js';
import { TokenBuckets } from './token-bucket.js';
import { createClusterReader } from '../adapters/cluster.reader.js';

describe('API keys', () => {
  const store = ApiKeyStore.fromConfig(
    [{ name: 'mgr', role: 'viewer', sha256: sha256Hex('manager-key-123456'), branches: ['BMC'] }],
    'local-admin-key-123456',
  );
  test('keys are matched by hash; unknown keys are refused', () => {
    expect(store.authenticate('manager-key-123456')).toEqual({ name: 'mgr', role: 'viewer', branches: ['BMC'] });
    expect(store.authenticate('local-admin-key-123456')?.role).toBe('admin');
    expect(store.authenticate('nope')).toBeNull();
  });
  test('bearer or X-API-Key', () => {
    expect(presentedKey({ authorization: 'Bearer abc' })).toBe('abc');
    expect(presentedKey({ 'x-api-key': 'xyz' })).toBe('xyz');
    expect(presentedKey({ authorization: 'Basic abc' })).toBeNull();
  });
  test('roles are ordered', () => {
    expect(hasRole({ name: 'a', role: 'admin' }, 'operator')).toBe(true);
    expect(hasRole({ name: 'v', role: 'viewer' }, 'operator')).toBe(false);
  });
});

describe('branch scope', () => {
  test('narrows unfiltered requests and names denied branches', () => {
    const s = new BranchScope(['BMC', 'EME']);
    expect(s.narrow(undefined)).toEqual(['BMC', 'EME']);
    expect(s.denied(['BMC', 'MAGS'])).toEqual(['MAGS']);
    expect(new BranchScope().narrow(undefined)).toBeUndefined();
  });
});

describe('token bucket', () => {
  test('allows a burst, then asks to wait until a token refills', () => {
    const b = new TokenBuckets({ perMinute: 60, burst: 2 });
    expect(b.take('k', 0)).toBe(0);
    expect(b.take('k', 0)).toBe(0);
    expect(b.take('k', 0)).toBe(1);
    expect(b.take('other', 0)).toBe(0);
    expect(b.take('k', 1_000)).toBe(0);
  });
});

describe('cluster reader outside Kubernetes', () => {
  test('answers inCluster: false without loading the client', async () => {
    const v = await createClusterReader({ inCluster: false, namespace: 'posflow' }).view();
    expect(v.inCluster).toBe(false);
    expect(v.message).toMatch(/not running in Kubernetes/);
  });
});
