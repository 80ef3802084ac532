import type { BrowserContext, Cookie } from 'playwright-core';
import type { SiteLogin } from '../domain/site-login';
import { LOGIN_TIMEOUT_MS, NAVIGATION_TIMEOUT_MS } from './deadlines';
import { EnvironmentError } from './environment-error';
import { withDeadline } from './with-deadline';

export type { SiteLogin } from '../domain/site-login';

/** A site an episode may use: its base URL and, when it has accounts, how to log in. */
export interface SiteEndpoint {
  url: string;
  login?: SiteLogin;
}

/** The login page's URL for a site. */
export function loginPageUrl(site: SiteEndpoint & { login: SiteLogin }): URL {
  return new URL(site.login.path, new URL(site.url).origin);
}

/** Whether a URL is the site's login page (same origin and path; query ignored). */
export function isLoginPage(url: string, site: SiteEndpoint & { login: SiteLogin }): boolean {
  try {
    const candidate = new URL(url);
    const login = loginPageUrl(site);
    return candidate.origin === login.origin && candidate.pathname.replace(/\/+$/, '') === login.pathname.replace(/\/+$/, '');
  } catch {
    return false;
  }
}

/**
 * Logs in to one site inside the given context (open the form, fill the named inputs, submit) and
 * returns the cookies the context then holds for the site's origin.
 */
export async function performScriptedLogin(
  context: BrowserContext,
  siteName: string,
  site: SiteEndpoint & { login: SiteLogin },
  signal?: AbortSignal,
): Promise<Cookie[]> {
  const operation = `log in to site "${siteName}" at ${loginPageUrl(site).href} as "${site.login.username}"`;
  const page = await context.newPage();
  try {
    return await withDeadline(operation, LOGIN_TIMEOUT_MS, signal, async () => {
      try {
        await page.goto(loginPageUrl(site).href, { timeout: NAVIGATION_TIMEOUT_MS });
      } catch (error) {
        throw new EnvironmentError(operation, `the login page did not load: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      const username = page.locator(`input[name="${site.login.usernameField}"]`);
      const password = page.locator(`input[name="${site.login.passwordField}"]`);
      if ((await username.count()) === 0 || (await password.count()) === 0) {
        throw new EnvironmentError(operation, `the page has no input named "${site.login.usernameField}" and "${site.login.passwordField}"`);
      }
      await username.first().fill(site.login.username);
      await password.first().fill(site.login.password);
      try {
        await Promise.all([
          page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: NAVIGATION_TIMEOUT_MS }),
          password.first().evaluate((input) => (input as HTMLInputElement).form?.requestSubmit()),
        ]);
        await page.waitForLoadState('load', { timeout: NAVIGATION_TIMEOUT_MS });
      } catch (error) {
        throw new EnvironmentError(operation, `submitting the login form led nowhere: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, { cause: error });
      }
      if (isLoginPage(page.url(), site)) throw new EnvironmentError(operation, 'still on the login page after submitting (wrong credentials or field names?)');
      return context.cookies(new URL(site.url).origin);
    });
  } finally {
    await page.close().catch(() => undefined);
  }
}
