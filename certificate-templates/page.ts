/** A4 portrait, in points (y down). */
export const PAGE = { width: 595.28, height: 841.89 } as const;

/**
 * Where things go on every form. The form's body runs from `headerTop` down to `certifyTop`;
 * the certification block (last page) sits right of `certifyLeft`; the QR seal's column is the
 * free space left of it at the bottom; the document id and "i / n" sit on `footerY`.
 */
export const PAGE_FRAME = {
  left: 42,
  right: 595.28 - 42,
  titleY: 56,
  headerTop: 88,
  rowHeight: 20,
  labelWidth: 78,
  certifyTop: 644,
  certifyLeft: 196,
  footerY: 812,
} as const;

export const BODY_WIDTH = PAGE_FRAME.right - PAGE_FRAME.left;
