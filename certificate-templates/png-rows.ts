/**
 * A PNG's inflated rows with their filters undone (ISO/IEC 15948 §9.2), each row still starting
 * with its (now meaningless) filter byte. `bytesPerPixel` is the filter's step: the bytes of a
 * pixel, 1 when a pixel has fewer than 8 bits. Filter types above 4 are the caller's to refuse.
 */
export function unfilteredRows(rows: Buffer, rowBytes: number, bytesPerPixel: number): Buffer {
  const out = Buffer.from(rows);
  for (let start = 0; start < out.length; start += rowBytes) {
    const filter = out[start]!;
    const above = start - rowBytes; // the previous row's filter byte; its bytes follow it
    for (let i = 1; i < rowBytes; i++) {
      const at = start + i;
      const left = i > bytesPerPixel ? out[at - bytesPerPixel]! : 0;
      const up = above >= 0 ? out[above + i]! : 0;
      const upLeft = above >= 0 && i > bytesPerPixel ? out[above + i - bytesPerPixel]! : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = (left + up) >> 1;
      else if (filter === 4) predicted = paeth(left, up, upLeft);
      out[at] = (out[at]! + predicted) & 0xff;
    }
  }
  return out;
}

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
}
