import type { BrowserContext } from 'playwright-core';
import { isAllowedRequestUrl, type BlockedRequest } from './egress-policy';

/** Close code the page sees for a WebSocket the egress policy refused (1008: policy violation). */
export const BLOCKED_WEBSOCKET_CLOSE_CODE = 1008;

/** `ws://host:port/path` -> `http://host:port/path` (`wss` -> `https`), the origin a WebSocket belongs to. */
function httpUrlOf(webSocketUrl: string): string {
  return webSocketUrl.replace(/^ws(s?):/i, 'http$1:');
}

/**
 * WebSockets do not go through `context.route`: Playwright routes them separately (by replacing the
 * page's WebSocket). One to an allowed origin is left alone; any other is closed with 1008 before a
 * connection is made, and reported like a blocked request (resource type `websocket`).
 * Scripts in dedicated or shared workers are not covered by this routing.
 */
export async function installWebSocketEgressPolicy(
  context: BrowserContext,
  allowedOrigins: ReadonlySet<string>,
  onBlocked: (request: BlockedRequest) => void,
): Promise<void> {
  // Only sockets to other origins are routed: a routed socket that is let through (connectToServer)
  // fails to connect when its page was fulfilled by the request policy (Playwright 1.65).
  const refused = (url: URL) => !isAllowedRequestUrl(httpUrlOf(url.toString()), allowedOrigins);
  await context.routeWebSocket(refused, async (webSocket) => {
    const url = webSocket.url();
    onBlocked({ url, method: 'GET', resourceType: 'websocket' });
    await webSocket.close({ code: BLOCKED_WEBSOCKET_CLOSE_CODE, reason: 'blocked by the egress policy' }).catch(() => undefined);
  });
}
