import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The dev server proxies everything that is not the SPA to the API gateway (`npm start`). */
const gateway = process.env.ECHOPLEX_GATEWAY ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': gateway,
      '/ws': { target: gateway, ws: true },
      '/.well-known': gateway,
      '/docs': gateway,
    },
  },
  build: { target: 'es2022' },
});
