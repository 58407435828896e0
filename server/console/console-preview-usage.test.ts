import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillingEntry } from '../db/records.ts';
import { CHIYODA, formFields, signedInAs, startConsoleWorld, type ConsoleWorld } from './test-support.ts';
import { usageChart, usageCsv, usageOf } from './usage.ts';

/** The rules editor's live preview and sample certificate; usage by type and month, chart and CSV. */
let world: ConsoleWorld;
beforeAll(async () => {
  world = await startConsoleWorld();
});
afterAll(() => world.close());

describe('live preview', () => {
  it('shows the kiosk menu of the draft, unsaved, and the schema’s problems for an invalid draft', async () => {
    const viewer = await signedInAs(world, CHIYODA, 'viewer');
    const page = await viewer.get(`/console/m/${CHIYODA}/rules`);
    expect(page.body).toContain('キオスクのメニュー（プレビュー）');
    const fields = formFields(page.body);
    const draft = await viewer.post(`/console/m/${CHIYODA}/rules/preview`, {
      ...fields,
      'fee-juminhyo': '470',
    });
    expect(draft.statusCode).toBe(200);
    expect(draft.body).toMatch(/住民票の写し<\/span>\s*<strong>470円<\/strong>/);
    expect((await world.centre.repository.getMunicipality(CHIYODA))?.offerings.juminhyo?.feeYen).not.toBe(
      470,
    );
    // Not offered in the draft: shown as not offered.
    const { 'offered-inkan': _dropped, ...withoutInkan } = fields;
    void _dropped;
    const noInkan = await viewer.post(`/console/m/${CHIYODA}/rules/preview`, withoutInkan);
    expect(noInkan.body).toMatch(/印鑑登録証明書<\/span>\s*<small>交付していません/);
    const bad = await viewer.post(`/console/m/${CHIYODA}/rules/preview`, { ...fields, closedDays: '02-30' });
    expect(bad.body).toContain('closedDays.0: 02-30 is not a day of the year');
  });

  it('draws a sample certificate (PDF) with the draft’s municipality, from the templates', async () => {
    const viewer = await signedInAs(world, CHIYODA, 'viewer');
    const fields = formFields((await viewer.get(`/console/m/${CHIYODA}/rules`)).body);
    const pdf = await viewer.post(`/console/m/${CHIYODA}/rules/sample.pdf`, fields);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});

const entry = (over: Partial<BillingEntry>): BillingEntry => ({
  transactionId: crypto.randomUUID(),
  municipalityCode: CHIYODA,
  certificateType: 'juminhyo',
  copies: 1,
  feeYenTotal: 300,
  billedAt: Date.parse('2026-10-15T03:00:00Z'),
  state: 'billed',
  ...over,
});

describe('usage', () => {
  const entries: BillingEntry[] = [
    entry({ copies: 2, feeYenTotal: 600 }),
    entry({ certificateType: 'inkan' }),
    // 1 November 00:30 JST is November, though October in UTC.
    entry({
      billedAt: Date.parse('2026-10-31T15:30:00Z'),
      settlement: { outcome: 'delivered', copies: 1, billedYen: 300, settledAt: 0 },
      copies: 2,
    }),
    entry({ state: 'voided' }),
    entry({ state: 'pending' }),
    entry({ municipalityCode: '172065', copies: 9 }),
  ];

  it('counts delivered copies per type and JST month, for one municipality, billed only', () => {
    const table = usageOf(entries, CHIYODA);
    expect(table.months).toEqual(['2026-10', '2026-11']);
    expect(table.copies.juminhyo).toEqual({ '2026-10': 2, '2026-11': 1 });
    expect(table.copies.inkan).toEqual({ '2026-10': 1 });
    expect(table.yen).toEqual({ '2026-10': 900, '2026-11': 300 });
  });

  it('exports CSV, and draws one bar per month with a label per type', () => {
    const table = usageOf(entries, CHIYODA);
    expect(usageCsv(table)).toBe(
      'month,certificate_type,copies\r\n2026-10,juminhyo,2\r\n2026-10,inkan,1\r\n2026-11,juminhyo,1\r\n',
    );
    const svg = usageChart(table).value;
    expect(svg).toContain('role="img"');
    expect(svg.match(/<rect\s+x=/g)).toHaveLength(3);
    expect(svg).toContain('2026-11 住民票の写し: 1');
  });

  it('the usage page and its CSV download are there for viewers, not for DV officers', async () => {
    const viewer = await signedInAs(world, CHIYODA, 'viewer');
    const page = await viewer.get(`/console/m/${CHIYODA}/usage`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('aria-label="証明書の種類別・月別の交付部数"');
    const csv = await viewer.get(`/console/m/${CHIYODA}/usage.csv`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain(`usage-${CHIYODA}.csv`);
    expect(csv.body.startsWith('month,certificate_type,copies')).toBe(true);
    const dv = await signedInAs(world, CHIYODA, 'dv-officer');
    expect((await dv.get(`/console/m/${CHIYODA}/usage.csv`)).statusCode).toBe(403);
  });
});
