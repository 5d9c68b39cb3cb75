import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";
import Components from "unplugin-vue-components/vite";
import { ElementPlusResolver } from "unplugin-vue-components/resolvers";
import VueI18n from "@intlify/unplugin-vue-i18n/vite";

// One Vite project, one HTML entry per page: console.html (the staff desk at /console) now, the
// volunteer app (app.html) later. The output goes to wwwroot/ui (build output, gitignored) and is
// served from /ui/; the web host answers /console and /console/** with ui/console.html.
export default defineConfig({
  base: "/ui/",
  plugins: [
    vue(),
    // The message files are compiled at build time, so the page ships vue-i18n's runtime only (no
    // message compiler): smaller, and nothing is compiled from strings in the browser.
    VueI18n({ include: [fileURLToPath(new URL("./src/i18n/*.json", import.meta.url)), fileURLToPath(new URL("./src/desk/i18n/*.json", import.meta.url))], runtimeOnly: true, compositionOnly: true, fullInstall: false, strictMessage: false }),
    // Element Plus components and their styles are imported where a template uses them, not all at once.
    Components({
      dts: "components.d.ts",
      resolvers: [ElementPlusResolver({ importStyle: "css" })],
    }),
  ],
  resolve: { alias: { "vue-i18n": "vue-i18n/dist/vue-i18n.runtime.esm-bundler.js" } },
  build: {
    outDir: "../wwwroot/ui",
    emptyOutDir: true,
    manifest: true,
    // No module preload polyfill: it would be inlined into the HTML, which the CSP forbids; every
    // browser the desk supports preloads modules natively.
    modulePreload: { polyfill: false },
    rollupOptions: { input: { console: "console.html" } },
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      "/api": "http://localhost:5080",
      "/hubs": { target: "http://localhost:5080", ws: true },
    },
  },
});
