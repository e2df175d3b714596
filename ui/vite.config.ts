/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Tauri v2 front-end: a static bundle loaded from disk (no remote content).
export default defineConfig({
  plugins: [svelte()],
  base: "./",
  // Keep the Rust/Tauri CLI output visible when running `tauri dev`.
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    watch: {
      // The Rust side lives next door; don't watch it.
      ignored: ["**/src-tauri/**", "**/crates/**", "**/target/**"],
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK on Linux (and Safari WebView on macOS).
    target: "safari13",
    sourcemap: false,
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
