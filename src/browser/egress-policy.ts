import type { BrowserContext, Request } from 'playwright-core';

/** A request the egress policy aborted. */
export interface BlockedRequest {
  url: string;
  method: string;
  resourceType: string;
}

// Schemes that never leave the browser.
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:', 'chrome-extension:']);

/** Whether a URL may be requested under the allowed origins. */
export function isAllowedRequestUrl(url: string, allowedOrigins: ReadonlySet<string>): boolean {
  try {
    const parsed = new URL(url);
    return LOCAL_SCHEMES.has(parsed.protocol) || allowedOrigins.has(parsed.origin);
  } catch {
    return false;
  }
}

/**
 * Lets the context reach only the allowed origins: every other request is aborted (as "blocked by
 * client") and reported. WebSockets are not routed by this policy.
 */
export async function installEgressPolicy(
  context: BrowserContext,
  allowedOrigins: ReadonlySet<string>,
  onBlocked: (request: BlockedRequest) => void,
): Promise<void> {
  await context.route('**/*', async (route) => {
    const request: Request = route.request();
    // A route can outlive its page (closed mid-request); there is nothing left to allow or block then.
    if (isAllowedRequestUrl(request.url(), allowedOrigins)) {
      await route.fallback().catch(() => undefined);
      return;
    }
    onBlocked({ url: request.url(), method: request.method(), resourceType: request.resourceType() });
    await route.abort('blockedbyclient').catch(() => undefined);
  });
}
