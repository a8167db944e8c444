import { resolve } from "node:path";
import { defineConfig } from "vite";

// One HTML entry per page, each in its own folder: the public map and the staff console.
// Everything is written to the server's wwwroot: /map/index.html and the hashed, shared /assets/*.
const pages = {
  map: resolve(import.meta.dirname, "map/index.html"),
  console: resolve(import.meta.dirname, "console/index.html"),
};

export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  build: {
    outDir: resolve(import.meta.dirname, "../wwwroot"),
    emptyOutDir: true,
    assetsDir: "assets",
    // Leaflet's marker images are small: inlined as data: URLs (allowed by the page's Content-Security-Policy).
    assetsInlineLimit: 4096,
    rollupOptions: { input: pages },
  },
  // Behind a proxy's path prefix (Server:PathBase) the server prefixes the page's own root-relative src/href;
  // what scripts and styles reference is made relative to them, so it follows wherever they were loaded from.
  experimental: {
    renderBuiltUrl: (_file, { hostType }) => (hostType === "html" ? undefined : { relative: true }),
  },
});
