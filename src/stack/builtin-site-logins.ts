import { SITE_DEFINITIONS, type SiteLogin } from '../sites';

/** The scripted logins of the built-in sites by WebArena site name (for workers that did not start the sites). */
export function builtinSiteLogins(): Record<string, SiteLogin> {
  return Object.fromEntries(SITE_DEFINITIONS.map((site) => [site.name, site.login]));
}
