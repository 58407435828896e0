/**
 * The developer panel the simulator serves at its control URL: the coins and notes a resident
 * would put in, and what a technician would do to the machine. It talks to the simulator only;
 * the kiosk learns of money from the device, over ccTalk, like from a real one.
 */
const BUTTONS: Array<{ path: string; label: string }> = [
  { path: 'insert/10', label: '10円' },
  { path: 'insert/50', label: '50円' },
  { path: 'insert/100', label: '100円' },
  { path: 'insert/500', label: '500円' },
  { path: 'insert/1000', label: '1000円' },
  { path: 'jam', label: 'jam a note' },
  { path: 'box-full', label: 'cash box full' },
  { path: 'clear', label: 'clear faults' },
  { path: 'empty-change', label: 'empty change tubes' },
  { path: 'fill-change', label: 'fill change tubes' },
  { path: 'offline', label: 'unplug (offline)' },
  { path: 'online', label: 'plug in (online)' },
];

export function panelPage(): string {
  const buttons = BUTTONS.map(
    (b) =>
      `<button type="button" data-path="${b.path}" data-testid="sim-${b.path.replace('/', '-')}">${b.label}</button>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Payment simulator</title>
<style>body{font-family:sans-serif;margin:1rem}button{font-size:1.1rem;margin:.25rem;padding:.5rem 1rem}
pre{background:#f4f4f4;padding:.5rem}</style></head>
<body><h1>Payment simulator (developer panel)</h1>
<p>Coins and notes go into the simulated acceptor; the kiosk reads them over ccTalk.</p>
<div>${buttons}</div>
<p data-testid="sim-last"></p>
<pre data-testid="sim-status"></pre>
<script>
const show = (body) => {
  if (body.outcome) document.querySelector('[data-testid=sim-last]').textContent = 'last insert: ' + body.outcome;
  document.querySelector('[data-testid=sim-status]').textContent = JSON.stringify(body.status, null, 2);
};
for (const button of document.querySelectorAll('button[data-path]'))
  button.addEventListener('click', async () => show(await (await fetch(button.dataset.path, { method: 'POST' })).json()));
fetch('status').then((r) => r.json()).then(show);
</script></body></html>`;
}
