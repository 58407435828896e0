/**
 * What the developer panel (a page script, no Node) and the developer routes (Node) share: paths,
 * the header and the card's state. Kept apart so the page's bundle pulls in no Node module.
 */

/** The card's state as the panel and the tests' driver see it. */
export interface DeveloperCardState {
  holderId: string;
  onReader: boolean;
}

export const DEVELOPER_PATH = '/dev';
export const DEVELOPER_PANEL_SCRIPT_PATH = '/dev-panel.js';
/**
 * Carries this start's secret (the one in the page's URL). A page on another origin cannot send
 * it without a CORS preflight, which is never granted, and another process does not know it.
 */
export const DEVELOPER_HEADER = 'x-kiosk-developer';
