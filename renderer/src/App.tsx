import { useCallback, useLayoutEffect } from 'react';
import type { ReactNode } from 'react';
import type { i18n as I18n } from 'i18next';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { KioskScreen } from '../../electron/kiosk-api.ts';
import { AccessibilityProvider } from './accessibility.tsx';
import type { GuideVoice } from './guide.ts';
import { ScreenErrorBoundary } from './components/ScreenErrorBoundary.tsx';
import { StatusScreen } from './components/StatusScreen.tsx';
import { KioskStoreProvider, useKiosk, useKioskActions } from './kioskContext.tsx';
import { BusyScreen } from './screens/BusyScreen.tsx';
import { ConfirmScreen } from './screens/ConfirmScreen.tsx';
import { DoneScreen } from './screens/DoneScreen.tsx';
import { ErrorScreen } from './screens/ErrorScreen.tsx';
import { MenuScreen } from './screens/MenuScreen.tsx';
import { PaymentScreen } from './screens/PaymentScreen.tsx';
import { PinEntryScreen } from './screens/PinEntryScreen.tsx';
import { PinResetNewPinScreen, PinResetSigningPinScreen } from './screens/PinResetNewPinScreen.tsx';
import {
  PinResetChooseScreen,
  PinResetDoneScreen,
  PinResetWorkingScreen,
} from './screens/PinResetOutcomeScreens.tsx';
import { PinResetPasswordScreen } from './screens/PinResetPasswordScreen.tsx';
import { PlaceCardScreen } from './screens/PlaceCardScreen.tsx';
import { PrintingScreen } from './screens/PrintingScreen.tsx';
import { RegistrationConfirmScreen, RegistrationDoneScreen } from './screens/RegistrationScreens.tsx';
import { WelcomeScreen } from './screens/WelcomeScreen.tsx';
import { useOperatorKeySequence } from './screens/operator/key-sequence.ts';
import { OperatorPinScreen } from './screens/operator/OperatorPinScreen.tsx';
import { OperatorScreen } from './screens/operator/OperatorScreen.tsx';
import { OperatorOutOfServiceScreen } from './screens/operator/OutOfServiceScreen.tsx';
import { ReminderSoundProvider, type ReminderSound } from './reminderSound.ts';
import type { KioskStore } from './store.ts';

export function App({
  store,
  i18n,
  sound,
  voice,
}: {
  store: KioskStore;
  i18n: I18n;
  sound?: ReminderSound;
  /** The audio guide's voice (tests); default the page's speech synthesis. */
  voice?: GuideVoice;
}) {
  return (
    <I18nextProvider i18n={i18n}>
      <KioskStoreProvider store={store}>
        <ReminderSoundProvider value={sound ?? null}>
          <SessionAccessibility voice={voice}>
            <KioskView />
          </SessionAccessibility>
        </ReminderSoundProvider>
      </KioskStoreProvider>
    </I18nextProvider>
  );
}

/** Display and audio settings last as long as the resident's session. */
function SessionAccessibility({ voice, children }: { voice: GuideVoice | undefined; children: ReactNode }) {
  const sessionOpen = useKiosk((s) => s.snapshot?.transactionId != null);
  return (
    <AccessibilityProvider sessionOpen={sessionOpen} {...(voice ? { voice } : {})}>
      {children}
    </AccessibilityProvider>
  );
}

function KioskView() {
  const snapshot = useKiosk((s) => s.snapshot);
  const connection = useKiosk((s) => s.connection);
  const { i18n } = useTranslation();
  const language = snapshot?.language ?? 'ja';
  const { send } = useKioskActions();
  // Operator mode's key sequence (screens/operator/key-sequence.ts), on the welcome and out-of-service screens only.
  const screen = snapshot?.view.screen;
  const enterOperator = useCallback(() => void send({ type: 'operator-enter' }), [send]);
  useOperatorKeySequence(screen === 'welcome' || screen === 'out-of-service', enterOperator);

  // The host owns the language; follow it before the browser paints.
  useLayoutEffect(() => {
    if (i18n.language !== language) void i18n.changeLanguage(language);
    document.documentElement.lang = language;
  }, [i18n, language]);

  if (snapshot === null)
    return <StatusScreen kind={connection === 'disconnected' ? 'disconnected' : 'starting'} />;
  if (connection === 'disconnected') return <StatusScreen kind="disconnected" />;
  return (
    <ScreenErrorBoundary resetKey={`${snapshot.transactionId ?? ''}/${snapshot.view.screen}`}>
      <Screen view={snapshot.view} />
    </ScreenErrorBoundary>
  );
}

function Screen({ view }: { view: KioskScreen }) {
  switch (view.screen) {
    case 'welcome':
      return <WelcomeScreen view={view} />;
    case 'place-card':
      return <PlaceCardScreen view={view} />;
    case 'reading-card':
      return <BusyScreen name="reading-card" />;
    case 'pin-entry':
      return <PinEntryScreen view={view} />;
    case 'authenticating':
      return <BusyScreen name="authenticating" />;
    case 'menu':
      return <MenuScreen view={view} />;
    case 'confirm':
      return <ConfirmScreen view={view} />;
    case 'payment':
      return <PaymentScreen view={view} />;
    case 'issuing':
      return <BusyScreen name="issuing" />;
    case 'printing':
      return <PrintingScreen view={view} />;
    case 'done':
      return <DoneScreen view={view} />;
    case 'error':
      return <ErrorScreen view={view} />;
    case 'registration-confirm':
      return <RegistrationConfirmScreen />;
    case 'registration-filing':
      return <BusyScreen name="registration-filing" />;
    case 'registration-done':
      return <RegistrationDoneScreen view={view} />;
    case 'out-of-service':
      return view.notice === undefined ? (
        <StatusScreen kind="out-of-service" />
      ) : (
        <OperatorOutOfServiceScreen view={view} />
      );
    case 'pin-reset-password':
      return <PinResetPasswordScreen view={view} />;
    case 'pin-reset-choose':
      return <PinResetChooseScreen />;
    case 'pin-reset-signing-pin':
      return <PinResetSigningPinScreen view={view} />;
    case 'pin-reset-new-pin':
      return <PinResetNewPinScreen view={view} />;
    case 'pin-reset-working':
      return <PinResetWorkingScreen />;
    case 'pin-reset-done':
      return <PinResetDoneScreen view={view} />;
    case 'operator-pin':
      return <OperatorPinScreen view={view} />;
    case 'operator':
      return <OperatorScreen view={view} />;
    default:
      return assertNever(view);
  }
}

function assertNever(view: never): never {
  throw new Error(`unknown screen: ${JSON.stringify(view)}`);
}
