/**
 * The console's only script and style sheet, served from /console/assets/ (the Content Security
 * Policy allows scripts from the console itself and nothing inline). The script sends the rules
 * form as it is typed to the preview route and shows the answer; it asks for the sample
 * certificate on demand. Without it, the saved rules' preview is still on the page.
 */
export const CONSOLE_JS = `'use strict';
(() => {
  const form = document.querySelector('form[data-preview]');
  if (!form) return;
  const target = document.getElementById('preview');
  const post = (url) =>
    fetch(url, { method: 'POST', body: new URLSearchParams(new FormData(form)), credentials: 'same-origin' });
  let timer;
  const update = async () => {
    const answer = await post(form.dataset.preview);
    if (target) target.innerHTML = await answer.text();
  };
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  });
  const button = document.getElementById('sample-button');
  const frame = document.getElementById('sample-frame');
  if (button && frame) {
    button.addEventListener('click', async () => {
      const answer = await post(form.dataset.sample);
      if (!answer.ok) return;
      frame.src = URL.createObjectURL(await answer.blob());
      frame.hidden = false;
    });
  }
})();
`;

export const CONSOLE_CSS = `
body { font-family: sans-serif; margin: 0; color: #222; }
header { background: #1d3557; color: #fff; padding: 0.5rem 1rem; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
header a { color: #fff; }
header form { margin-left: auto; }
main { padding: 1rem; max-width: 72rem; }
nav ul { list-style: none; display: flex; gap: 1rem; padding: 0; margin: 0; }
fieldset { margin: 0.5rem 0; }
label { display: inline-block; margin: 0.2rem 0.8rem 0.2rem 0; }
table { border-collapse: collapse; }
th, td { border: 1px solid #999; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
.status { background: #e7f5e7; padding: 0.5rem; }
.problems { background: #fde8e8; padding: 0.5rem; }
.editor { display: grid; grid-template-columns: 1fr 22rem; gap: 1rem; }
.kiosk-menu { border: 4px solid #333; border-radius: 8px; padding: 0.5rem; background: #fffbea; }
.kiosk-menu .unavailable { color: #888; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 0.8rem; padding: 0; }
iframe { width: 100%; height: 30rem; border: 1px solid #999; }
pre { white-space: pre-wrap; max-width: 28rem; margin: 0; font-size: 0.8rem; }
`;
