import { CctalkPaymentDevice, type CctalkDeviceOptions } from './cctalk-payment-device.ts';
import { CctalkLink, type LinkOptions } from './link.ts';
import { openReconnectingSerialChannel } from './serial-channel.ts';

export { CctalkPaymentDevice } from './cctalk-payment-device.ts';

export type OpenPaymentResult = { ok: true; device: CctalkPaymentDevice } | { ok: false; detail: string };

/** The kiosk's payment device on a ccTalk serial line (KIOSK_PAYMENT_SERIAL), opened again whenever it goes away. */
export async function openCctalkPaymentDevice(
  path: string,
  options: CctalkDeviceOptions & LinkOptions = {},
): Promise<OpenPaymentResult> {
  const channel = await openReconnectingSerialChannel(path);
  if (!channel.ok) return { ok: false, detail: `cannot open ${path}: ${channel.detail}` };
  const link = new CctalkLink(channel.channel, options);
  return { ok: true, device: await CctalkPaymentDevice.start(link, options) };
}
