import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

// Served by Django under /app/ (service worker at /app/sw.js, scope /app/).
export default defineConfig({
  base: "/app/",
  build: {
    target: "es2020",
    sourcemap: false,
    rollupOptions: {
      output: {
        // Leaflet in a chunk of its own: loaded with the case form, left out of the size budget.
        manualChunks(id: string) {
          if (id.includes("node_modules/leaflet")) return "leaflet";
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8000", "/media": "http://127.0.0.1:8000" },
  },
  plugins: [
    VitePWA({
      strategies: "injectManifest",
      srcDir: "src",
      filename: "sw.ts",
      registerType: "prompt",
      injectRegister: false,
      scope: "/app/",
      base: "/app/",
      manifest: {
        id: "/app/",
        name: "Jatim Sosial Care",
        short_name: "JSC",
        description: "Pencatatan dan penanganan PPKS, Dinas Sosial Provinsi Jawa Timur",
        lang: "id",
        start_url: "/app/",
        scope: "/app/",
        display: "standalone",
        orientation: "portrait",
        theme_color: "#0b4f8a",
        background_color: "#ffffff",
        icons: [
          { src: "icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
          { src: "icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
          { src: "icons/icon-512-maskable.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
      injectManifest: {
        globPatterns: ["**/*.{js,css,html}"],
      },
      devOptions: { enabled: false },
    }),
  ],
});
