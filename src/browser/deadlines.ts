/** Deadlines for every browser wait in an episode (milliseconds). */
export const BROWSER_LAUNCH_TIMEOUT_MS = 30_000;
/** Opening a start URL, a `goto`, back/forward, and the login page. */
export const NAVIGATION_TIMEOUT_MS = 30_000;
/** A whole scripted login: open the form, fill it, submit, land on another page. */
export const LOGIN_TIMEOUT_MS = 45_000;
/** One action's browser input (click, typing, key press, scroll, tab switch). */
export const ACTION_TIMEOUT_MS = 15_000;
/** Waiting for a navigation an action started to load; a slower page is observed as it is. */
export const SETTLE_TIMEOUT_MS = 5_000;
/** How long after an action a navigation may take to start before we stop waiting for one. */
export const NAVIGATION_START_GRACE_MS = 150;
/** Reading the accessibility tree and formatting the observation. */
export const OBSERVATION_TIMEOUT_MS = 20_000;
/** Writing the trace and closing the context at the end of an episode. */
export const CONTEXT_CLOSE_TIMEOUT_MS = 30_000;
/** How long cached login cookies without an expiry date are trusted before logging in again. */
export const SESSION_COOKIE_TTL_MS = 30 * 60_000;
/** Cookies that expire within this margin are treated as expired already. */
export const COOKIE_EXPIRY_MARGIN_MS = 60_000;
