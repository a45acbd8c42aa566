import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web client, served by the hub from dist/web. Only the production build
 * matters: e2e tests run against it (see PITFALLS: the dev server reloads
 * pages mid-test). Paths come from import.meta.dirname, not node:url, so this
 * file passes the renderer's no-Node-built-ins lint rule.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    // Relative to root.
    outDir: '../dist/web',
    emptyOutDir: true,
  },
});
