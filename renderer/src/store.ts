import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type {
  IntentResult,
  KioskApi,
  KioskIntent,
  KioskSnapshot,
  Language,
} from '../../electron/kiosk-api.ts';
import type { CertificateType, HouseholdScope } from '../../protocol/index.ts';

/**
 * The page's whole state: the latest snapshot from the host, and whether the host answers.
 * The host owns the session; this store only mirrors it and turns taps into intents.
 * PIN digits are never kept here: each one goes straight to the host as a `pin-digit` intent,
 * and the page learns only `digitsEntered` from the next snapshot.
 */
export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** What sending an intent came to: the host's answer, or that the host could not be reached. */
export type SendOutcome = IntentResult | { accepted: false; reason: 'unreachable' };

export interface KioskActions {
  send(intent: KioskIntent): Promise<SendOutcome>;
  start(): Promise<SendOutcome>;
  setLanguage(language: Language): Promise<SendOutcome>;
  pressDigit(digit: number): Promise<SendOutcome>;
  backspace(): Promise<SendOutcome>;
  submitPin(): Promise<SendOutcome>;
  chooseCertificate(certificateType: CertificateType): Promise<SendOutcome>;
  setCopies(copies: number): Promise<SendOutcome>;
  setScope(scope: HouseholdScope): Promise<SendOutcome>;
  toggleMember(order: number): Promise<SendOutcome>;
  setHonseki(include: boolean): Promise<SendOutcome>;
  setRelationship(include: boolean): Promise<SendOutcome>;
  setTaxYear(year: number): Promise<SendOutcome>;
  confirm(): Promise<SendOutcome>;
  requestKosekiRegistration(): Promise<SendOutcome>;
  backToMenu(): Promise<SendOutcome>;
  cancel(): Promise<SendOutcome>;
  finish(): Promise<SendOutcome>;
  /** 延長する: the screen's time limit starts again. */
  extendTime(): Promise<SendOutcome>;
}

export interface KioskState extends KioskActions {
  connection: ConnectionState;
  snapshot: KioskSnapshot | null;
}

export type KioskStore = StoreApi<KioskState>;

export interface KioskStoreHandle {
  store: KioskStore;
  /** Stops listening to the host. */
  dispose(): void;
}

/** Creates the store bound to one host API and starts listening to its snapshots. */
export function createKioskStore(api: KioskApi): KioskStoreHandle {
  // Set once a pushed snapshot has arrived, so a slower getSnapshot() cannot overwrite it.
  let pushed = false;

  const store = createStore<KioskState>()((set) => {
    const send = async (intent: KioskIntent): Promise<SendOutcome> => {
      try {
        return await api.send(intent);
      } catch {
        set({ connection: 'disconnected' });
        return { accepted: false, reason: 'unreachable' };
      }
    };
    return {
      connection: 'connecting',
      snapshot: null,
      send,
      start: () => send({ type: 'start' }),
      setLanguage: (language) => send({ type: 'set-language', language }),
      pressDigit: (digit) => send({ type: 'pin-digit', digit }),
      backspace: () => send({ type: 'pin-backspace' }),
      submitPin: () => send({ type: 'pin-submit' }),
      chooseCertificate: (certificateType) => send({ type: 'choose-certificate', certificateType }),
      setCopies: (copies) => send({ type: 'set-copies', copies }),
      setScope: (scope) => send({ type: 'set-scope', scope }),
      toggleMember: (order) => send({ type: 'toggle-member', order }),
      setHonseki: (include) => send({ type: 'set-honseki', include }),
      setRelationship: (include) => send({ type: 'set-relationship', include }),
      setTaxYear: (year) => send({ type: 'set-tax-year', year }),
      confirm: () => send({ type: 'confirm' }),
      requestKosekiRegistration: () => send({ type: 'request-koseki-registration' }),
      backToMenu: () => send({ type: 'back-to-menu' }),
      cancel: () => send({ type: 'cancel' }),
      finish: () => send({ type: 'finish' }),
      extendTime: () => send({ type: 'extend-time' }),
    };
  });

  const unsubscribe = api.onSnapshot((snapshot) => {
    pushed = true;
    store.setState({ snapshot, connection: 'connected' });
  });

  api.getSnapshot().then(
    (snapshot) => {
      if (!pushed) store.setState({ snapshot, connection: 'connected' });
    },
    () => {
      if (!pushed) store.setState({ connection: 'disconnected' });
    },
  );

  return { store, dispose: unsubscribe };
}
