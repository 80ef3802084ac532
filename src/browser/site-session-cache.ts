import type { Cookie } from 'playwright-core';
import { COOKIE_EXPIRY_MARGIN_MS, SESSION_COOKIE_TTL_MS } from './deadlines';

interface CachedSession {
  cookies: Cookie[];
  /** Epoch ms after which the cookies are not used again. */
  expiresAt: number;
}

/**
 * Login cookies per site, shared by a worker's episodes so each site is logged into once, and
 * logged into again when its cookies expire or a site shows its login page again.
 */
export class SiteSessionCache {
  private readonly sessions = new Map<string, CachedSession>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Cookies still valid for the site, or null when a fresh login is needed. */
  get(siteKey: string): Cookie[] | null {
    const session = this.sessions.get(siteKey);
    if (!session) return null;
    if (session.expiresAt - COOKIE_EXPIRY_MARGIN_MS <= this.now()) {
      this.sessions.delete(siteKey);
      return null;
    }
    return session.cookies;
  }

  /** Stores a login's cookies; they expire with the earliest cookie (session cookies after a fixed TTL). */
  set(siteKey: string, cookies: Cookie[]): void {
    const expiries = cookies.filter((cookie) => cookie.expires > 0).map((cookie) => cookie.expires * 1000);
    const expiresAt = Math.min(this.now() + SESSION_COOKIE_TTL_MS, ...expiries);
    this.sessions.set(siteKey, { cookies, expiresAt });
  }

  /** Forgets a site's cookies (the login page reappeared). */
  invalidate(siteKey: string): void {
    this.sessions.delete(siteKey);
  }

  /**
   * Forgets a site's cookies when a context that used them no longer holds every one of them with the
   * same value (its episode logged out, or the site replaced the session): the next episode must not
   * start from a session the site may have ended.
   */
  invalidateIfChanged(siteKey: string, current: readonly Cookie[]): void {
    const session = this.sessions.get(siteKey);
    if (!session) return;
    const held = (cookie: Cookie) => current.some((other) => other.name === cookie.name && other.domain === cookie.domain && other.path === cookie.path && other.value === cookie.value);
    if (!session.cookies.every(held)) this.sessions.delete(siteKey);
  }
}
