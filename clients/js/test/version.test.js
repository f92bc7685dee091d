import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { SignalingClient, VERSION } from "../src/index.js";
import { server, json } from "../testing/loopback.js";

const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

const servers = [];
after(() => Promise.all(servers.map((s) => s.close())));

test("the client's version is package.json's", () => {
  assert.equal(VERSION, packageJson.version);
});

test("every request says which client sent it", async () => {
  const s = await server((req, res) => json(res, 200, { status: "terminated", call_id: "c-1" }));
  servers.push(s);
  const client = new SignalingClient({ baseUrl: s.url, apiKey: "k" });
  await client.health();
  await client.hangup("c-1");
  assert.deepEqual(s.requests.map((request) => request.headers["user-agent"]),
    [`signaling-api-client/${packageJson.version}`, `signaling-api-client/${packageJson.version}`]);
});
