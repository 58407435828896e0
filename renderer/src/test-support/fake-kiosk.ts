/**
 * A fake `window.kiosk` for the renderer's tests: it records every intent the page sends and
 * shows whatever snapshot the test pushes. With `followLanguage`, a language choice comes back
 * as the host would send it.
 */
import type {
  IntentResult,
  KioskApi,
  KioskIntent,
  KioskScreen,
  KioskSnapshot,
} from '../../../electron/kiosk-api.ts';

export class FakeKiosk implements KioskApi {
  readonly intents: KioskIntent[] = [];
  private readonly listeners = new Set<(snapshot: KioskSnapshot) => void>();

  constructor(
    public snapshot: KioskSnapshot,
    private readonly options: { followLanguage?: boolean } = {},
  ) {}

  getSnapshot(): Promise<KioskSnapshot> {
    return Promise.resolve(this.snapshot);
  }

  onSnapshot(listener: (snapshot: KioskSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(intent: KioskIntent): Promise<IntentResult> {
    this.intents.push(intent);
    if (this.options.followLanguage && intent.type === 'set-language')
      this.push({ ...this.snapshot, language: intent.language });
    return Promise.resolve({ accepted: true });
  }

  /** The host sends a new snapshot. */
  push(snapshot: KioskSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of this.listeners) listener(snapshot);
  }

  /** The host moves to another screen, all else equal. */
  show(view: KioskScreen): void {
    this.push({ ...this.snapshot, view });
  }
}
