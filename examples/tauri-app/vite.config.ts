// Vite builds the page from ui/ into ui/dist (tauri.conf.json: build.frontendDist).
import { defineConfig } from "vite";

export default defineConfig({
  root: "ui",
  base: "./",
  clearScreen: false,
  // `tauri dev` loads the page from here (tauri.conf.json: build.devUrl).
  server: { port: 1421, strictPort: true, host: "localhost" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    // No inline scripts or styles, so the strict CSP holds.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
