/**
 * The phone's web page (bundled to /phone/phone.js, served by the centre's phone listener):
 * walks a resident through the PIN reset's step 1 — the card through the page's card reader
 * (`card-reader.ts`), 照合番号B (or the dev card's), the 4-digit PIN (masked, read once at
 * sending, handed to the card and cleared), a selfie from the camera or a file, then the
 * one-time password or the refusal in words. The protocol is `phonePinReset`, shared with the CLI.
 */
import { phonePinReset, type PhoneOutcome } from '../phone-client.ts';
import { BRIDGE_FRAGMENT_PARAM } from '../card-bridge-messages.ts';
import { bridgeCardReader, NO_CARD_READER, type PhoneCardReader } from './card-reader.ts';
import { PHONE_TEXTS, type PhoneLang, type PhoneTexts } from './texts.ts';

type Child = Node | string;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props))
    if (value !== undefined) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

function readerFromFragment(): { reader: PhoneCardReader; bridged: boolean } {
  const bridge = new URLSearchParams(location.hash.slice(1)).get(BRIDGE_FRAGMENT_PARAM);
  return bridge
    ? { reader: bridgeCardReader(bridge), bridged: true }
    : { reader: NO_CARD_READER, bridged: false };
}

interface PageState {
  lang: PhoneLang;
  selfie: Uint8Array | undefined;
  stream: MediaStream | undefined;
  outcome: PhoneOutcome | { kind: 'unreachable' } | { kind: 'no-card'; problem: string } | undefined;
  /** The PIN the resident forgot: the other one proves the card. */
  target: 'signing' | 'auth';
}

const { reader, bridged } = readerFromFragment();
const state: PageState = {
  lang: 'ja',
  selfie: undefined,
  stream: undefined,
  outcome: undefined,
  target: 'signing',
};
const root = document.getElementById('app') as HTMLElement;
// The inputs outlive a re-render (language, camera), so what was typed stays where it was typed.
const pin = h('input', {
  id: 'pin',
  type: 'password',
  inputmode: 'numeric',
  autocomplete: 'off',
  maxlength: '4',
  pattern: '[0-9]{4}',
  'aria-describedby': 'pin-hint',
});
const signingPinInput = h('input', {
  id: 'signing-pin',
  type: 'password',
  autocomplete: 'off',
  autocapitalize: 'characters',
  maxlength: '16',
  'aria-describedby': 'pin-hint',
});
const collationInput = h('input', {
  id: 'collation',
  type: 'text',
  autocomplete: 'off',
  maxlength: '15',
  'aria-describedby': 'collation-hint',
});

function formatWhen(iso: string, t: PhoneTexts): string {
  const when = new Intl.DateTimeFormat(t.dateLocale, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Asia/Tokyo',
  }).format(new Date(iso));
  return `${when}${t.timeZoneNote}`;
}

function outcomeView(t: PhoneTexts): HTMLElement | undefined {
  const outcome = state.outcome;
  if (!outcome) return undefined;
  if (outcome.kind === 'granted') {
    const section = h(
      'section',
      { 'aria-labelledby': 'granted-heading' },
      h('h2', { id: 'granted-heading' }, t.grantedHeading),
    );
    if (outcome.password) {
      section.append(
        h('p', { class: 'label', id: 'otp-label' }, t.passwordLabel),
        h(
          'p',
          { class: 'otp', 'aria-labelledby': 'otp-label', 'data-testid': 'one-time-password' },
          outcome.password,
        ),
        h('p', {}, t.validUntil(formatWhen(outcome.expiresAt, t))),
        h('p', { 'data-testid': 'resets' }, t.resets[outcome.target]),
        h('p', {}, t.passwordUse),
      );
    } else section.append(h('p', {}, t.boundCard(formatWhen(outcome.expiresAt, t))));
    return section;
  }
  let words: string;
  if (outcome.kind === 'unreachable') words = t.centreUnreachable;
  else if (outcome.kind === 'no-card')
    words = outcome.problem === 'no-reader' ? t.readerNone : t.readerUnreachable;
  else if (outcome.kind === 'refused') words = t.refusal[outcome.code] ?? t.refusalOther(outcome.code);
  else if (outcome.reason === 'wrong-pin') words = t.wrongPin(outcome.triesLeft);
  else if (outcome.reason === 'wrong-signing-pin') words = t.wrongSigningPin(outcome.triesLeft);
  else if (outcome.reason === 'pin-locked') words = t.pinLocked;
  else if (outcome.reason === 'collation-refused') words = t.collationRefused;
  else words = t.cardError;
  return h('section', { role: 'alert' }, h('h2', {}, t.refusedHeading), h('p', {}, words));
}

function render(): void {
  const t = PHONE_TEXTS[state.lang];
  document.documentElement.lang = state.lang;
  document.title = t.title;
  const language = h(
    'button',
    { type: 'button', class: 'lang', lang: state.lang === 'ja' ? 'en' : 'ja' },
    t.otherLanguage,
  );
  language.addEventListener('click', () => {
    state.lang = state.lang === 'ja' ? 'en' : 'ja';
    render();
  });

  const readerLine = bridged ? t.readerBridge : t.readerNone;
  const collation = bridged
    ? h('p', { id: 'collation-from-card' }, t.collationFromCard)
    : h(
        'p',
        {},
        h('label', { for: 'collation' }, t.collationLabel),
        collationInput,
        h('small', { id: 'collation-hint' }, t.collationHint),
      );

  const video = h('video', { autoplay: '', playsinline: '', muted: '', 'aria-label': t.cameraVideo });
  video.hidden = !state.stream;
  if (state.stream) video.srcObject = state.stream;
  const preview = h('img', { alt: t.selfiePreview });
  preview.hidden = !state.selfie;
  if (state.selfie) preview.src = URL.createObjectURL(new Blob([state.selfie as Uint8Array<ArrayBuffer>]));
  const cameraButton = h(
    'button',
    { type: 'button' },
    state.stream ? t.cameraCapture : state.selfie ? t.cameraRetake : t.cameraStart,
  );
  const cameraNote = h('p', { role: 'status' });
  cameraButton.addEventListener(
    'click',
    () => void (state.stream ? capture(video) : startCamera(cameraNote, t)),
  );
  const file = h('input', {
    id: 'selfie-file',
    type: 'file',
    accept: 'image/jpeg,image/png,image/webp',
    capture: 'user',
  });
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    stopCamera();
    state.selfie = new Uint8Array(await chosen.arrayBuffer());
    render();
  });

  // Which PIN was forgotten: the other one is asked for.
  const forgot = h('fieldset', {}, h('legend', {}, t.forgotHeading));
  for (const [target, label] of [
    ['signing', t.forgotSigning],
    ['auth', t.forgotAuth],
  ] as const) {
    const radio = h('input', { type: 'radio', name: 'forgot', id: `forgot-${target}`, value: target });
    (radio as HTMLInputElement).checked = state.target === target;
    radio.addEventListener('change', () => {
      state.target = target;
      render();
    });
    forgot.append(h('p', {}, radio, h('label', { for: `forgot-${target}` }, label)));
  }
  forgot.append(h('p', {}, h('small', {}, t.bothForgotten)));
  const progress = h('p', { role: 'status', id: 'progress' });
  const send = h('button', { type: 'submit', class: 'send' }, t.send);
  const form = h(
    'form',
    { novalidate: '' },
    collation,
    forgot,
    state.target === 'auth'
      ? h(
          'p',
          {},
          h('label', { for: 'signing-pin' }, t.signingPinLabel),
          signingPinInput,
          h('small', { id: 'pin-hint' }, t.pinHint),
        )
      : h('p', {}, h('label', { for: 'pin' }, t.pinLabel), pin, h('small', { id: 'pin-hint' }, t.pinHint)),
    h(
      'fieldset',
      {},
      h('legend', {}, t.selfieHeading),
      video,
      preview,
      h('p', {}, cameraButton),
      cameraNote,
      h('p', {}, h('label', { for: 'selfie-file' }, t.fileLabel), file),
    ),
    h('p', {}, send),
    progress,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    // Read once, cleared at once: the PIN lives only in this call on its way to the card.
    const typedPin = state.target === 'auth' ? signingPinInput.value.toUpperCase() : pin.value;
    pin.value = '';
    signingPinInput.value = '';
    const typedCollation = bridged ? undefined : collationInput.value.trim();
    void submit(typedPin, typedCollation, progress, send, t);
  });

  const outcome = outcomeView(t);
  root.replaceChildren(
    h('p', {}, language),
    h('h1', {}, t.title),
    h('p', {}, t.lead),
    h('ol', {}, ...t.steps.map((step) => h('li', {}, step))),
    h('p', { id: 'reader' }, readerLine),
    ...(outcome ? [outcome] : []),
    form,
  );
}

async function startCamera(note: HTMLElement, t: PhoneTexts): Promise<void> {
  try {
    state.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' }, audio: false });
    render();
  } catch {
    note.textContent = t.cameraUnavailable;
  }
}

function stopCamera(): void {
  for (const track of state.stream?.getTracks() ?? []) track.stop();
  state.stream = undefined;
}

/** Resolves once the video has painted a frame (a camera's first frames may still be black). */
function framePainted(video: HTMLVideoElement): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, 1500); // a camera that paints nothing: take what there is
    if (typeof video.requestVideoFrameCallback === 'function')
      video.requestVideoFrameCallback(() => resolve());
    else if (video.readyState >= 2) resolve();
    else video.addEventListener('loadeddata', () => resolve(), { once: true });
  });
}

async function capture(video: HTMLVideoElement): Promise<void> {
  await framePainted(video);
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d')?.drawImage(video, 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
  stopCamera();
  if (blob) state.selfie = new Uint8Array(await blob.arrayBuffer());
  render();
}

async function submit(
  pin: string,
  typedCollation: string | undefined,
  progress: HTMLElement,
  send: HTMLButtonElement,
  t: PhoneTexts,
): Promise<void> {
  if (state.target === 'signing' && !/^[0-9]{4}$/.test(pin)) {
    progress.textContent = t.missingPin;
    return;
  }
  if (state.target === 'auth' && !/^[A-Z0-9]{6,16}$/.test(pin)) {
    progress.textContent = t.missingSigningPin;
    return;
  }
  if (!state.selfie) {
    progress.textContent = t.missingSelfie;
    return;
  }
  if (!bridged && !/^[0-9A-Za-z]{15}$/.test(typedCollation ?? '')) {
    progress.textContent = t.missingCollation;
    return;
  }
  send.disabled = true;
  progress.textContent = t.sending;
  const card = await reader.open();
  if ('problem' in card) {
    state.outcome = { kind: 'no-card', problem: card.problem };
    render();
    return;
  }
  try {
    const collationB = card.collationB ?? typedCollation ?? '';
    state.outcome = await phonePinReset({
      transport: card.transport,
      ...(state.target === 'auth' ? { signingPin: pin } : { pin }),
      collationB,
      selfie: state.selfie,
      post: async (path, body) => {
        const response = await fetch(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: response.status, json: await response.json() };
      },
    });
    if (state.outcome.kind === 'granted') state.selfie = undefined;
  } catch {
    state.outcome = { kind: 'unreachable' };
  } finally {
    card.close();
  }
  render();
}

render();
