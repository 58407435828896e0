import PDFDocument from 'pdfkit';

/** What a refund slip says: ids, an amount, a reason code and a time — nothing about the resident. */
export interface RefundSlip {
  transactionId: string;
  terminalId: string;
  yen: number;
  reason: string;
  at: Date;
}

/**
 * A small slip (A6) the printer puts out when money is owed back and the kiosk could not deliver:
 * the resident (or whoever finds it) takes it to the store counter; the operator's journal list
 * carries the same transaction id.
 */
export async function refundSlipPdf(slip: RefundSlip): Promise<Uint8Array> {
  const pdf = new PDFDocument({ size: 'A6', margin: 24, info: { Title: 'Refund slip' } });
  const chunks: Uint8Array[] = [];
  pdf.on('data', (chunk: Uint8Array) => chunks.push(chunk));
  const ended = new Promise<void>((resolve) => pdf.on('end', () => resolve()));
  pdf.font('Helvetica-Bold').fontSize(14).text('REFUND DUE');
  pdf.moveDown(0.5);
  pdf.font('Helvetica').fontSize(10);
  pdf.text(`Amount: ${slip.yen} yen`);
  pdf.text(`Transaction: ${slip.transactionId}`);
  pdf.text(`Terminal: ${slip.terminalId}`);
  pdf.text(`Reason: ${slip.reason}`);
  pdf.text(`Time: ${slip.at.toISOString()}`);
  pdf.moveDown(0.5);
  pdf.text('Please show this slip at the store counter. No certificate was handed out for this payment.');
  pdf.end();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}
