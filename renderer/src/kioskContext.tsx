import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { KioskScreen } from '../../electron/kiosk-api.ts';
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

/** Formats a yen amount in the current language (300円 / ¥300). */
export function useYen(): (amount: number) => string {
  const { t } = useTranslation();
  return (amount) => t('common.yen', { amount: groupDigits(amount) });
}

/** The view of one screen, narrowed by its name. */
export type ScreenView<Name extends KioskScreen['screen']> = Extract<KioskScreen, { screen: Name }>;
