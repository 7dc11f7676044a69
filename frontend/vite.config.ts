/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Django renders the HTML shell and reads dist/.vite/manifest.json to find the hashed entry,
// so the build has a script entry rather than an index.html, and every URL starts where
// Django serves the files.
export default defineConfig({
  plugins: [react()],
  base: "/static/app/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    target: "es2022",
    rollupOptions: { input: "src/main.tsx" },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["src/test-setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
