import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Tauri serves the built files from ui/dist (tauri.conf.json: build.frontendDist) and, in
// development, loads http://localhost:1420 (build.devUrl).
const host = process.env.TAURI_DEV_HOST;

export default defineConfig({
  plugins: [react(), tailwindcss()],
  // Keep the Rust compiler's output visible when `tauri dev` runs this.
  clearScreen: false,
  envPrefix: ['VITE_', 'TAURI_ENV_'],
  server: {
    port: 1420,
    strictPort: true,
    host: host ?? false,
    hmr: host ? { protocol: 'ws', host, port: 1421 } : undefined,
  },
  build: {
    // Tauri on Linux renders with WebKitGTK.
    target: 'safari16',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: Boolean(process.env.TAURI_ENV_DEBUG),
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // React itself, apart (recharts stays in the lazily loaded revenue chunk).
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    // Dates in tests are formatted in a known zone.
    env: { TZ: 'UTC' },
    restoreMocks: true,
  },
});
