import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Two apps from one config: `vite build` builds the kiosk renderer (served by the kiosk host
// from dist/renderer, never from file://: module scripts and WebAssembly fetches fail there);
// `vite build --mode console` builds the operators' console, served by the platform under /console/.
export default defineConfig(({ mode }) =>
  mode === 'console'
    ? {
        root: 'console',
        base: '/console/',
        plugins: [react()],
        build: { outDir: '../dist/console', emptyOutDir: true, target: 'es2022' },
      }
    : {
        root: 'renderer',
        base: './',
        plugins: [react()],
        // Module workers: the speech worker's eSpeak NG build is an ES module using import.meta.url.
        worker: { format: 'es' as const },
        build: {
          outDir: '../dist/renderer',
          emptyOutDir: true,
          target: 'chrome120',
          // Loaded from loopback, never over a network: one bundle is simplest and fast enough.
          chunkSizeWarningLimit: 2000,
        },
      },
);
