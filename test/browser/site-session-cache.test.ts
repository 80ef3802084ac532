import type { Cookie } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE_TTL_MS } from '../../src/browser/deadlines';
import { SiteSessionCache } from '../../src/browser/site-session-cache';

const cookie = (expires: number): Cookie => ({ name: 'session', value: 'v', domain: '127.0.0.1', path: '/', expires, httpOnly: true, secure: false, sameSite: 'Lax' });

describe('SiteSessionCache', () => {
  it('returns cookies until shortly before the earliest cookie expires, then asks for a fresh login', () => {
    let now = 1_000_000_000_000;
    const cache = new SiteSessionCache(() => now);
    cache.set('shop', [cookie(now / 1000 + 600), cookie(-1)]);
    expect(cache.get('shop')).toHaveLength(2);
    now += 540_000 + 1; // within a minute of the 10-minute expiry
    expect(cache.get('shop')).toBeNull();
    expect(cache.get('shop')).toBeNull();
  });

  it('trusts session cookies (no expiry) for the fixed TTL only', () => {
    let now = 0;
    const cache = new SiteSessionCache(() => now);
    cache.set('forum', [cookie(-1)]);
    now = SESSION_COOKIE_TTL_MS - 120_000;
    expect(cache.get('forum')).not.toBeNull();
    now = SESSION_COOKIE_TTL_MS;
    expect(cache.get('forum')).toBeNull();
  });

  it('forgets a site on invalidate and keeps other sites', () => {
    const cache = new SiteSessionCache(() => 0);
    cache.set('a', [cookie(-1)]);
    cache.set('b', [cookie(-1)]);
    cache.invalidate('a');
    expect(cache.get('a')).toBeNull();
    expect(cache.get('b')).not.toBeNull();
  });
});
