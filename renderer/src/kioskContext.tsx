import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { KioskScreen, Language } from '../../electron/kiosk-api.ts';
import { groupDigits } from './i18n/index.ts';
import type { KioskActions, KioskState, KioskStore } from './store.ts';

const KioskStoreContext = createContext<KioskStore | null>(null);

export function KioskStoreProvider({ store, children }: { store: KioskStore; children: ReactNode }) {
  return <KioskStoreContext.Provider value={store}>{children}</KioskStoreContext.Provider>;
}

function useKioskStore(): KioskStore {
  const store = useContext(KioskStoreContext);
  if (store === null) throw new Error('KioskStoreProvider is missing');
  return store;
}

/** Reads a slice of the kiosk state and re-renders when it changes. */
export function useKiosk<T>(selector: (state: KioskState) => T): T {
  return useStore(useKioskStore(), selector);
}

/** The intent senders. They never change, so reading them once is enough. */
export function useKioskActions(): KioskActions {
  return useKioskStore().getState();
}

/** The resident's language, as the host says (Japanese until the first snapshot). */
export function useLanguage(): Language {
  return useKiosk((s) => s.snapshot?.language ?? 'ja');
}

/** Formats a yen amount in the current language (1,000円 / ¥1,000 / 1.000 ienes). */
export function useYen(): (amount: number) => string {
  const { t } = useTranslation();
  const language = useLanguage();
  return (amount) => t('common.yen', { amount: groupDigits(amount, language) });
}

/** The view of one screen, narrowed by its name. */
export type ScreenView<Name extends KioskScreen['screen']> = Extract<KioskScreen, { screen: Name }>;
