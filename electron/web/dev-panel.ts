/**
 * kiosk:web's developer panel, injected beside the kiosk screens (never in Electron): a small "DEV"
 * tab in the top-left corner that opens controls to put the virtual card on the reader and take
 * it off. It talks to the developer routes of the Node host, not to the session.
 */
import { BRIDGE_KEY_PARAM } from './bridge-messages.ts';
import { DEVELOPER_HEADER, DEVELOPER_PATH, type DeveloperCardState } from './developer-paths.ts';

async function call(method: 'GET' | 'POST', path: string): Promise<DeveloperCardState | null> {
  // This start's secret, from the page's URL.
  const secret = new URLSearchParams(location.search).get(BRIDGE_KEY_PARAM) ?? '';
  const response = await fetch(`${DEVELOPER_PATH}${path}`, {
    method,
    headers: { [DEVELOPER_HEADER]: secret },
  });
  if (!response.ok) return null;
  return (await response.json()) as DeveloperCardState;
}

function button(label: string, testId: string): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.dataset.testid = testId;
  Object.assign(element.style, {
    font: '14px sans-serif',
    padding: '6px 10px',
    margin: '0 6px 0 0',
    borderRadius: '6px',
    border: '1px solid #555',
    background: '#fff',
    color: '#111',
    cursor: 'pointer',
  });
  return element;
}

function mount(): void {
  const panel = document.createElement('aside');
  panel.setAttribute('aria-label', 'Developer panel (kiosk:web only)');
  panel.dataset.testid = 'dev-panel';
  Object.assign(panel.style, {
    position: 'fixed',
    top: '0',
    left: '0',
    zIndex: '1000',
    font: '14px sans-serif',
    color: '#111',
  });
  const toggle = button('DEV', 'dev-panel-toggle');
  Object.assign(toggle.style, { background: '#ffe066', borderRadius: '0 0 8px 0', margin: '0' });
  const body = document.createElement('div');
  body.hidden = true;
  Object.assign(body.style, {
    background: '#fffbe6',
    border: '2px solid #c9a400',
    borderRadius: '0 0 10px 0',
    padding: '10px',
    boxShadow: '0 6px 20px rgba(0,0,0,0.25)',
  });
  const status = document.createElement('p');
  status.dataset.testid = 'dev-card-status';
  Object.assign(status.style, { margin: '0 0 8px' });
  const place = button('Place card', 'dev-card-place');
  const remove = button('Remove card', 'dev-card-remove');
  body.append(status, place, remove);
  panel.append(toggle, body);

  const show = (state: DeveloperCardState | null) => {
    if (!state) {
      status.textContent = 'No virtual card (start kiosk:web with --holder ID).';
      place.disabled = true;
      remove.disabled = true;
      return;
    }
    status.textContent = `Card ${state.holderId}: ${state.onReader ? 'on the reader' : 'off the reader'}`;
    place.disabled = state.onReader;
    remove.disabled = !state.onReader;
  };
  const run = (method: 'GET' | 'POST', path: string) => {
    place.disabled = true;
    remove.disabled = true;
    call(method, path).then(show, () => show(null));
  };
  toggle.addEventListener('click', () => {
    body.hidden = !body.hidden;
    if (!body.hidden) run('GET', '/card');
  });
  place.addEventListener('click', () => run('POST', '/card/place'));
  remove.addEventListener('click', () => run('POST', '/card/remove'));
  document.body.append(panel);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount, { once: true });
else mount();
