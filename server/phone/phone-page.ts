/**
 * The phone page's HTML: the frame the bundled script (/phone/phone.js) fills in Japanese or
 * English. Nothing inline but the style (the policy allows inline styles, no inline script).
 */
export const PHONE_PAGE_HTML = `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>暗証番号の初期化・再設定 / PIN reset</title>
<style>
body { font-family: sans-serif; max-width: 36rem; margin: 0 auto; padding: 1rem; line-height: 1.6; font-size: 1.05rem; }
h1 { font-size: 1.35rem; }
label { display: block; font-weight: bold; margin-top: .5rem; }
small { display: block; color: #444; }
input[type=password], input[type=text] { font-size: 1.4rem; padding: .4rem; width: 100%; box-sizing: border-box; letter-spacing: .2em; }
button { font-size: 1.1rem; padding: .6rem 1.2rem; margin: .3rem 0; }
button.send { width: 100%; font-size: 1.3rem; background: #1d3557; color: #fff; border: 0; border-radius: .4rem; }
button.lang { float: right; font-size: .95rem; }
fieldset { border: 1px solid #999; border-radius: .4rem; margin: 1rem 0; }
video, img { width: 100%; max-height: 24rem; object-fit: contain; background: #eee; }
.otp { font-size: 2.8rem; font-weight: bold; letter-spacing: .25em; text-align: center; font-variant-numeric: tabular-nums; margin: .5rem 0; }
.label { margin-bottom: 0; text-align: center; }
section { border: 2px solid #1d3557; border-radius: .5rem; padding: .5rem 1rem; margin: 1rem 0; }
section[role=alert] { border-color: #b00020; color: #b00020; }
</style>
</head>
<body>
<main id="app"><noscript>このページにはJavaScriptが必要です。 / This page needs JavaScript.</noscript></main>
<script type="module" src="/phone/phone.js"></script>
</body>
</html>
`;
