/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

// Tauri v2 front-end: a static bundle loaded from disk (no remote content).
export default defineConfig(({ mode }) => ({
  plugins: [svelte(), svelteTesting()],
  // Component tests mount Svelte's browser build (in jsdom), not its server build.
  resolve: mode === "test" ? { conditions: ["browser"] } : undefined,
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
    // Pure helpers run in Node; component tests (`*.svelte.test.ts`) ask for jsdom with a
    // `@vitest-environment jsdom` comment at their top.
    environment: "node",
    setupFiles: ["src/test/setup.ts"],
    // Stylesheets as written (imported `?raw`), not left out as Vitest does by default.
    css: { include: [/\.css/] },
  },
}));
