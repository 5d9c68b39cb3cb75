// Saves the server's OpenAPI document as openapi/v1.json and regenerates src/api/schema.d.ts from it.
// Run against a host started as in the README:  npm run api:snapshot  (DISPATCH_URL to use another host).
// `servers` names the host that answered, so it is left out: the snapshot is the same from every host.
import { writeFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";

const base = process.env.DISPATCH_URL ?? "http://localhost:5080";
const response = await fetch(new URL("/openapi/v1.json", base));
if (!response.ok) throw new Error(`GET ${base}/openapi/v1.json answered ${response.status}`);
const document = await response.json();
delete document.servers;
await writeFile(new URL("../openapi/v1.json", import.meta.url), JSON.stringify(document, null, 2) + "\n");
execFileSync("npx", ["openapi-typescript", "openapi/v1.json", "-o", "src/api/schema.d.ts"], {
  cwd: new URL("..", import.meta.url),
  stdio: "inherit",
});
console.log("openapi/v1.json and src/api/schema.d.ts updated from", base);
