import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The UI is static files that `tally serve` serves at `/` (with an SPA fallback), so asset
// URLs are absolute from the root and nothing needs a dev proxy in production.
export default defineConfig({
  plugins: [preact()],
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': 'http://127.0.0.1:9091', '/metrics': 'http://127.0.0.1:9091' },
  },
});
