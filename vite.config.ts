import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { firstScreenFonts } from './scripts/first-screen-fonts.ts';

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
        plugins: [react(), firstScreenFonts()],
        // Module workers: the speech worker's eSpeak NG build is an ES module using import.meta.url.
        worker: { format: 'es' as const },
        build: {
          outDir: '../dist/renderer',
          emptyOutDir: true,
          target: 'chrome120',
          // Loaded from loopback, never over a network: big chunks are fine, but what the home
          // does not need is a chunk of its own, loaded on first use (npm run bench -- startup).
          chunkSizeWarningLimit: 2000,
          rolldownOptions: {
            // Rolldown otherwise moves modules shared by lazy screens into the entry (which
            // "already loads first"), and with them TypeBox: every start would pay for them.
            experimental: { chunkOptimization: { mergeCommonChunks: false } },
            // Everything the entry imports statically, in one file with it: five requests before
            // the home could start were five times the loading overheads of the browser and host.
            output: { codeSplitting: { groups: [{ name: 'home', tags: ['$initial'] }] } },
          },
        },
      },
);
