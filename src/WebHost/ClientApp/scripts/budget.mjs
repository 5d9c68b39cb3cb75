// The desk's first load: the gzip size of the JavaScript and CSS a browser downloads to show the
// board — the console.html entry with its static imports, and the chunks of the routes the board
// needs (the layout and the board page) with theirs, CSS included. Fails above the budget.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

// The volunteer app's first load the same way: the app.html entry and the open requests page
// (SignalR is loaded after that page shows, so it is not counted).
const out = new URL("../../wwwroot/ui/", import.meta.url);
const manifest = JSON.parse(readFileSync(new URL(".vite/manifest.json", out), "utf8"));
let failed = false;
measure("Desk first load (board)", 200, ["console.html", "src/desk/DeskLayout.vue", "src/desk/pages/BoardPage.vue"]);
measure("Volunteer app first load (open requests)", 120, ["app.html", "src/app/pages/RequestsPage.vue"]);
// The residents' pages (filing form and tracking) on a phone: the whole resident.html entry.
measure("Resident pages first load", 100, ["resident.html"]);
if (failed) process.exit(1);

function measure(label, budgetKb, starts) {

const files = new Set();
const seen = new Set();
function visit(key) {
  if (seen.has(key)) return;
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) throw new Error(`${key} is not in the Vite manifest`);
  files.add(chunk.file);
  for (const css of chunk.css ?? []) files.add(css);
  for (const imported of chunk.imports ?? []) visit(imported);
}
starts.forEach(visit);

let total = 0;
const rows = [];
for (const file of files) {
  const size = gzipSync(readFileSync(new URL(file, out)), { level: 9 }).length;
  total += size;
  rows.push([file, size]);
}
rows.sort((a, b) => b[1] - a[1]);
for (const [file, size] of rows) console.log(`${(size / 1024).toFixed(1).padStart(7)} KB  ${file}`);
const kb = total / 1024;
console.log(`${label}: ${kb.toFixed(1)} KB gzip in ${files.size} files (budget ${budgetKb} KB)`);
if (kb > budgetKb) {
  console.error(`${label} is ${kb.toFixed(1)} KB gzip, above the ${budgetKb} KB budget.`);
  failed = true;
}
}
