/**
 * A still photo as a Y4M video for Chromium's fake camera
 * (`--use-file-for-fake-video-capture=FILE.y4m`): one 4:2:0 frame (BT.601, full range, as
 * C420jpeg says), which Chromium repeats. (Chromium's MJPEG reader gave a 2×2 black picture for a
 * single JPEG here, so Y4M.)
 */
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';

export async function writeY4mFromImage(image: Uint8Array, path: string): Promise<void> {
  const meta = await sharp(image).metadata();
  const width = (meta.width ?? 2) & ~1;
  const height = (meta.height ?? 2) & ~1;
  const rgb = await sharp(image).resize(width, height, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  const y = Buffer.alloc(width * height);
  const u = Buffer.alloc((width / 2) * (height / 2));
  const v = Buffer.alloc((width / 2) * (height / 2));
  const clamp = (n: number) => Math.max(0, Math.min(255, Math.round(n)));
  for (let row = 0; row < height; row++)
    for (let col = 0; col < width; col++) {
      const at = (row * width + col) * 3;
      const [r, g, b] = [rgb[at]!, rgb[at + 1]!, rgb[at + 2]!];
      y[row * width + col] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
      if (row % 2 === 0 && col % 2 === 0) {
        const c = (row / 2) * (width / 2) + col / 2;
        u[c] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
        v[c] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
      }
    }
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\nFRAME\n`, 'ascii');
  await writeFile(path, Buffer.concat([header, y, u, v]));
}
