import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import vue from "@vitejs/plugin-vue";
import Components from "unplugin-vue-components/vite";
import { ElementPlusResolver } from "unplugin-vue-components/resolvers";
import { VantResolver } from "@vant/auto-import-resolver";
import VueI18n from "@intlify/unplugin-vue-i18n/vite";

// One Vite project, one HTML entry per page: console.html (the staff desk at /console) now, the
// volunteer app (app.html) later. The output goes to wwwroot/ui (build output, gitignored) and is
// served from /ui/; the web host answers /console and /console/** with ui/console.html.
// Vant's icon font comes inlined in its CSS as a data: URL (which the pages' CSP, font-src 'self',
// refuses) with a fallback on a CDN. This puts the font in a file of its own, served from 'self'
// and fetched only when an icon is drawn, so it is no weight on the first load either.
function vantIconFontFile(): Plugin {
  const fontDir = fileURLToPath(new URL("./node_modules/.cache/vant-icon/", import.meta.url));
  return {
    name: "dispatch-vant-icon-font-file",
    enforce: "pre",
    transform(code, id) {
      if (!id.replace(/\\/g, "/").endsWith("vant/es/icon/index.css")) return null;
      const inline = /url\(data:font\/woff2;charset=utf-8;base64,([A-Za-z0-9+/=]+)\) format\("woff2"\)(,url\([^)]*\) format\("[a-z]+"\))*/.exec(code);
      if (!inline) throw new Error("Vant's icon CSS no longer inlines its font as expected: see vite.config.ts");
      mkdirSync(fontDir, { recursive: true });
      const file = join(fontDir, "vant-icon.woff2");
      writeFileSync(file, Buffer.from(inline[1]!, "base64"));
      const url = relative(dirname(id), file).replace(/\\/g, "/");
      return { code: code.replace(inline[0], `url("${url}") format("woff2")`), map: null };
    },
  };
}

export default defineConfig({
  base: "/ui/",
  plugins: [
    vantIconFontFile(),
    vue(),
    // The message files are compiled at build time, so the page ships vue-i18n's runtime only (no
    // message compiler): smaller, and nothing is compiled from strings in the browser.
    VueI18n({ include: [fileURLToPath(new URL("./src/i18n/*.json", import.meta.url)), fileURLToPath(new URL("./src/i18n/myChannels/*.json", import.meta.url)), fileURLToPath(new URL("./src/i18n/posts/*.json", import.meta.url)), fileURLToPath(new URL("./src/i18n/ledger/*.json", import.meta.url)), fileURLToPath(new URL("./src/desk/i18n/*.json", import.meta.url)), fileURLToPath(new URL("./src/app/i18n/*.json", import.meta.url)), fileURLToPath(new URL("./src/resident/i18n/*.json", import.meta.url))], runtimeOnly: true, compositionOnly: true, fullInstall: false, strictMessage: false, dropMessageCompiler: true }),
    // Element Plus components and their styles are imported where a template uses them, not all at once.
    Components({
      dts: "components.d.ts",
      // Vant's (the volunteer app's) the same way: each component with its own style, on demand.
      resolvers: [ElementPlusResolver({ importStyle: "css" }), VantResolver()],
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
    rollupOptions: { input: { console: "console.html", app: "app.html", resident: "resident.html" } },
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      "/api": "http://localhost:5080",
      "/hubs": { target: "http://localhost:5080", ws: true },
    },
  },
});
