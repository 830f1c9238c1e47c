// Vite builds the web UI from ui/ into ui/dist (tauri.conf.json: build.frontendDist).
import { defineConfig } from "vite";

export default defineConfig({
  root: "ui",
  base: "./",
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    host: "localhost",
    watch: { ignored: ["**/src-tauri/**", "**/crates/**", "**/target/**"] },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    // One small bundle; no inline scripts or styles, so the strict CSP holds.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
