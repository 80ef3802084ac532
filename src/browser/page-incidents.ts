/** Tabs an episode may have open at once; a page that opens more has the extra ones closed. */
export const MAX_EPISODE_TABS = 10;

/** `window.open` calls one document may make; later calls return null (a pop-up loop ends there). */
export const MAX_WINDOW_OPENS_PER_DOCUMENT = 10;

/**
 * Something hostile a page did that the episode contained: a download it refused, a tab it closed
 * because the episode already had MAX_EPISODE_TABS open. (Dialogs are answered by Playwright.)
 */
export type PageIncident =
  | { kind: 'download'; url: string; suggestedFilename: string }
  | { kind: 'tab_closed'; url: string; openTabs: number };

/** `download hostile.bin from <url> refused`, ... (for logs and reports). */
export function describePageIncident(incident: PageIncident): string {
  switch (incident.kind) {
    case 'download':
      return `download ${incident.suggestedFilename} from ${incident.url} refused`;
    case 'tab_closed':
      return `tab ${incident.url} closed (${incident.openTabs} tabs open, limit ${MAX_EPISODE_TABS})`;
  }
}
