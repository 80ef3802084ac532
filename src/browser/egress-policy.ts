import type { APIResponse, BrowserContext, Request, Route } from 'playwright-core';
import { NAVIGATION_TIMEOUT_MS } from './deadlines';
import { installWebSocketEgressPolicy } from './websocket-egress';

/** A request the egress policy aborted. */
export interface BlockedRequest {
  url: string;
  method: string;
  resourceType: string;
}

// Schemes that never leave the browser.
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:', 'chrome-extension:']);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Whether a URL may be requested under the allowed origins. */
export function isAllowedRequestUrl(url: string, allowedOrigins: ReadonlySet<string>): boolean {
  try {
    const parsed = new URL(url);
    return LOCAL_SCHEMES.has(parsed.protocol) || allowedOrigins.has(parsed.origin);
  } catch {
    return false;
  }
}

/** The network error the browser sees when the request made on its behalf failed. */
function abortReasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/ECONNREFUSED/.test(message)) return 'connectionrefused';
  if (/ECONNRESET/.test(message)) return 'connectionreset';
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return 'namenotresolved';
  if (/Timeout|ETIMEDOUT/i.test(message)) return 'timedout';
  return 'failed';
}

/**
 * Playwright routes only the first URL of a redirect chain, so the browser would follow an HTTP
 * redirect to any origin unseen. An allowed http(s) request is therefore made from here with
 * redirects off; a redirect is passed to the browser (whose next request is routed again) only
 * when its target is allowed, else it is blocked like any other request.
 */
async function passAllowed(route: Route, request: Request, allowedOrigins: ReadonlySet<string>, block: (url: string) => Promise<void>): Promise<void> {
  if (!/^https?:$/.test(new URL(request.url()).protocol)) {
    await route.fallback();
    return;
  }
  let response: APIResponse;
  try {
    response = await route.fetch({ maxRedirects: 0, timeout: NAVIGATION_TIMEOUT_MS });
  } catch (error) {
    await route.abort(abortReasonOf(error));
    return;
  }
  const location = response.headers().location;
  if (REDIRECT_STATUSES.has(response.status()) && location !== undefined) {
    const target = new URL(location, request.url()).toString();
    if (!isAllowedRequestUrl(target, allowedOrigins)) {
      await response.dispose().catch(() => undefined);
      await block(target);
      return;
    }
  }
  await route.fulfill({ response });
}

/**
 * Lets the context reach only the allowed origins: every other request, and every redirect to
 * another origin, is aborted (as "blocked by client") and reported. WebSockets to other origins are
 * closed before they connect and reported too (installWebSocketEgressPolicy).
 */
export async function installEgressPolicy(
  context: BrowserContext,
  allowedOrigins: ReadonlySet<string>,
  onBlocked: (request: BlockedRequest) => void,
): Promise<void> {
  await context.route('**/*', async (route) => {
    const request: Request = route.request();
    const block = async (url: string) => {
      onBlocked({ url, method: request.method(), resourceType: request.resourceType() });
      await route.abort('blockedbyclient');
    };
    // A route can outlive its page (closed mid-request); there is nothing left to allow or block then.
    if (isAllowedRequestUrl(request.url(), allowedOrigins)) {
      await passAllowed(route, request, allowedOrigins, block).catch(() => undefined);
      return;
    }
    await block(request.url()).catch(() => undefined);
  });
  await installWebSocketEgressPolicy(context, allowedOrigins, onBlocked);
}
