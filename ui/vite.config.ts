// Builds the web remote into ui/dist (the server serves it at /). `vite` in ui/ runs a dev
// server that proxies the API, media and socket.io to a server on port 8420.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { publicDirOf, pwa } from './build/pwa.ts';

const uiDir = fileURLToPath(new URL('.', import.meta.url));
const backend = process.env.HOMECAST_URL ?? 'http://127.0.0.1:8420';

export default defineConfig({
  root: uiDir,
  base: './',
  publicDir: publicDirOf(uiDir),
  plugins: [pwa(publicDirOf(uiDir))],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
  },
  server: {
    proxy: {
      '/api': backend,
      '/media': backend,
      '/art': backend,
      '/subs': backend,
      '/socket.io': { target: backend, ws: true },
    },
  },
});
