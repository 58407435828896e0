import { describe, expect, it } from 'vitest';
import { MunicipalityConfigSchema } from '../db/records.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { menuPreview, previewMoment } from './preview.ts';

const chiyoda = MunicipalityConfigSchema.parse(
  loadSeedWorld().municipalities.find((m) => m.code === '131016'),
);

describe("the console's menu preview", () => {
  it('shows the menu with its fees in service hours, without a note', () => {
    const noonInJapan = new Date('2026-12-02T03:00:00Z');
    expect(previewMoment(chiyoda, noonInJapan)).toEqual(noonInJapan);
    const text = String(menuPreview(chiyoda, noonInJapan));
    expect(text).toMatch(/住民票の写し<\/span>\s*<strong>\d+円<\/strong>/);
    expect(text).not.toContain('受付時間外');
  });

  it('at night shows the menu of the next opening (06:30 in Japan) with its fees, and says so', () => {
    const twoAmInJapan = new Date('2026-12-02T17:00:00Z');
    expect(previewMoment(chiyoda, twoAmInJapan)?.toISOString()).toBe('2026-12-02T21:30:00.000Z');
    const text = String(menuPreview(chiyoda, twoAmInJapan));
    expect(text).toMatch(/住民票の写し<\/span>\s*<strong>\d+円<\/strong>/);
    expect(text).toContain('いまは受付時間外です。次の受付時間（2026-12-03 06:30）の表示です。');
  });

  it('says when the rules never open in the next two weeks', () => {
    const closedAlways = {
      ...chiyoda,
      serviceHours: { ...chiyoda.serviceHours, opens: '10:00', closes: '10:00' },
    };
    expect(previewMoment(closedAlways, new Date('2026-12-02T03:00:00Z'))).toBeUndefined();
    expect(String(menuPreview(closedAlways, new Date('2026-12-02T03:00:00Z')))).toContain(
      '2週間のうちに受付時間がありません',
    );
  });
});
