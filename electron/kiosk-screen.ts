/**
 * The kiosk's screen: the window the host opens (electron/main.ts) and the panel it is assumed to
 * be shown on. A 12.1-inch 1280×800 touch panel (a common size for counter kiosks) has
 * √(1280² + 800²) / 12.1 ≈ 124.7 pixels per inch; the page runs at zoom 1 there, so one CSS pixel
 * is one screen pixel. The touch-target test (tests/e2e/accessibility.test.ts) measures controls
 * in millimetres on this panel; a kiosk with a smaller panel of the same resolution needs larger
 * targets (renderer/src/styles.css, `--target`).
 */
export const KIOSK_SCREEN = {
  widthPx: 1280,
  heightPx: 800,
  diagonalInches: 12.1,
} as const;

/** Pixels per inch of the assumed panel. */
export const KIOSK_SCREEN_PPI =
  Math.hypot(KIOSK_SCREEN.widthPx, KIOSK_SCREEN.heightPx) / KIOSK_SCREEN.diagonalInches;

/** How many CSS pixels a length in millimetres takes on the kiosk's panel. */
export function millimetresToPixels(mm: number): number {
  return (mm / 25.4) * KIOSK_SCREEN_PPI;
}

/** The smallest touch target the kiosk allows, in either dimension (issue 10): 15 mm. */
export const MIN_TOUCH_TARGET_MM = 15;
