import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './App.tsx';
import { StatusScreen } from './components/StatusScreen.tsx';
import { createKioskI18n } from './i18n/index.ts';
import { waitForKiosk } from './kioskBridge.ts';
import { createKioskStore } from './store.ts';
import './styles.css';

const rootElement = document.getElementById('root');
if (rootElement === null) throw new Error('#root is missing from index.html');

// A public touch screen: no context menu, no text selection drag.
document.addEventListener('contextmenu', (event) => event.preventDefault());

const i18n = createKioskI18n('ja');
const root = createRoot(rootElement);

root.render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <StatusScreen kind="starting" />
    </I18nextProvider>
  </StrictMode>,
);

void waitForKiosk(window).then((api) => {
  const { store } = createKioskStore(api);
  root.render(
    <StrictMode>
      <App store={store} i18n={i18n} />
    </StrictMode>,
  );
});
