// Node half of bench/client-overhead.sh: node bench/client-overhead.mjs API KEY DN COUNT WARMUP
import { SignalingClient } from "../clients/js/src/index.js";

const [api, key, dn, countText, warmupText] = process.argv.slice(2);
const count = Number(countText);
const warmup = Number(warmupText);
const client = new SignalingClient({ baseUrl: api, apiKey: key });
const headers = { Accept: "application/json", "X-API-Key": key };

async function raw(path) {
  const response = await fetch(api + path, { headers });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

const cases = [
  { name: `GET /api/dn/${dn}`, raw: () => raw(`/api/dn/${encodeURIComponent(dn)}`), client: () => client.getDn(dn) },
  { name: "GET /api/calls/active", raw: () => raw("/api/calls/active"), client: () => client.activeCallCount() },
];

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], p95: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] };
}

const row = (request, variant, s) => console.log(`| ${"node".padEnd(9)} | ${request.padEnd(28)} | ${variant.padEnd(15)} | ${s.median.toFixed(3).padStart(10)} | ${s.p95.toFixed(3).padStart(10)} |`);

for (const c of cases) {
  for (let i = 0; i < warmup; i++) {
    await c.raw();
    await c.client();
  }
  const times = { raw: [], client: [] };
  for (let i = 0; i < count; i++) {
    for (const variant of i % 2 === 0 ? ["raw", "client"] : ["client", "raw"]) {
      const start = performance.now();
      await c[variant]();
      times[variant].push(performance.now() - start);
    }
  }
  const r = stats(times.raw);
  const k = stats(times.client);
  row(c.name, "fetch", r);
  row(c.name, "js client", k);
  row(c.name, "difference", { median: k.median - r.median, p95: k.p95 - r.p95 });
}
