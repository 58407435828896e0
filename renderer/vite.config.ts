import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';

// Absolute, so the build works from any working directory (import.meta.dirname: Node ≥ 20.11).
const root = import.meta.dirname;
const outDir = `${import.meta.dirname}/../dist/renderer`;

/**
 * The dev server's React Refresh preamble is an inline script, which the page's strict CSP forbids.
 * In `vite serve` only, allow inline scripts; the built page keeps the CSP exactly as written.
 */
function relaxCspForDevServer(): Plugin {
  return {
    name: 'kiosk-relax-csp-for-dev-server',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
    },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), relaxCspForDevServer()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: false,
    assetsInlineLimit: 0,
  },
});
