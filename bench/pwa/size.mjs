// Gzipped size of the field app's own JS and CSS (Leaflet excluded), against its 150 KB budget.
// Usage: node bench/pwa/size.mjs [--build]   (builds first with --build or when dist/ is missing)
import { execSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 150 * 1024;
const app = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "frontend_pwa");
const dist = join(app, "dist");

if (process.argv.includes("--build") || !existsSync(join(dist, "index.html"))) {
  execSync("npm run build", { cwd: app, stdio: "inherit" });
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const rows = walk(dist)
  .filter((path) => /\.(js|mjs|css)$/.test(path))
  .map((path) => {
    const bytes = readFileSync(path);
    const name = relative(dist, path);
    return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, leaflet: /(^|\/)leaflet[-.]/.test(name) };
  })
  .sort((a, b) => b.gzip - a.gzip);

const kb = (n) => (n / 1024).toFixed(1).padStart(7);
console.log(`${"file".padEnd(52)} ${"raw KB".padStart(7)} ${"gzip KB".padStart(7)}`);
for (const row of rows) console.log(`${(row.name + (row.leaflet ? " (Leaflet, excluded)" : "")).padEnd(52)} ${kb(row.raw)} ${kb(row.gzip)}`);
const counted = rows.filter((row) => !row.leaflet);
const total = counted.reduce((sum, row) => sum + row.gzip, 0);
const page = counted.filter((row) => !row.name.startsWith("sw.")).reduce((sum, row) => sum + row.gzip, 0);
console.log(`\napp JS+CSS gzipped, Leaflet excluded: ${(total / 1024).toFixed(1)} KB (page ${(page / 1024).toFixed(1)} KB + service worker ${((total - page) / 1024).toFixed(1)} KB)`);
console.log(`budget: ${(BUDGET_BYTES / 1024).toFixed(0)} KB -> ${total <= BUDGET_BYTES ? "within budget" : "OVER BUDGET"}`);
process.exitCode = total <= BUDGET_BYTES ? 0 : 1;
