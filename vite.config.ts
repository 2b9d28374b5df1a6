import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is served by the kiosk host from dist/renderer, never from file://
// (module scripts and WebAssembly fetches fail there).
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  // Module workers: the speech worker's eSpeak NG build is an ES module using import.meta.url.
  worker: { format: 'es' },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    // Loaded from loopback, never over a network: one bundle is simplest and fast enough.
    chunkSizeWarningLimit: 2000,
  },
});
