// Drives a Toxiproxy-compatible API with the unmodified toxiproxy-node-client from npm and asserts every answer.
// Usage: node client-test.mjs <api-url> <upstream host:port of a TCP echo server>
// Prints "ok <step>" per passed step; exits 1 with the failed assertion otherwise.
import assert from "node:assert/strict";
import net from "node:net";
import { Toxiproxy } from "toxiproxy-node-client";

const [api, upstream] = process.argv.slice(2);
const toxiproxy = new Toxiproxy(api.replace(/\/$/, ""));
const ok = (step) => console.log(`ok ${step}`);

async function rejectsWithStatus(promise, status) {
  await assert.rejects(promise, { message: `Request failed with status code ${status}` });
}

// One echo round trip through the proxy, in milliseconds.
function roundTrip(listen) {
  const [host, port] = [listen.slice(0, listen.lastIndexOf(":")), Number(listen.slice(listen.lastIndexOf(":") + 1))];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const socket = net.connect({ host, port }, () => socket.write("ping"));
    socket.on("data", () => {
      resolve(Number(process.hrtime.bigint() - started) / 1e6);
      socket.destroy();
    });
    socket.on("error", reject);
    socket.setTimeout(10_000, () => reject(new Error("no echo within 10 s")));
  });
}

const version = await toxiproxy.getVersion();
assert.equal(version, '{"version": "2.12.0"}\n');
ok("getVersion");

const proxy = await toxiproxy.createProxy({ name: "node_redis", listen: "localhost:0", upstream });
assert.equal(proxy.name, "node_redis");
assert.match(proxy.listen, /^127\.0\.0\.1:\d+$/);
assert.equal(proxy.upstream, upstream);
assert.equal(proxy.enabled, true);
await rejectsWithStatus(toxiproxy.createProxy({ name: "node_redis", listen: "localhost:0", upstream }), 409);
ok("createProxy");

const latency = await proxy.addToxic({ type: "latency", attributes: { latency: 100, jitter: 10 } });
assert.equal(latency.name, "latency_downstream");
assert.equal(latency.type, "latency");
assert.equal(latency.stream, "downstream");
assert.equal(latency.toxicity, 1);
assert.deepEqual(latency.attributes, { latency: 100, jitter: 10 });
await rejectsWithStatus(proxy.addToxic({ type: "latency", attributes: {} }), 409);
const delayed = await roundTrip(proxy.listen);
assert.ok(delayed >= 90, `a round trip with a 100±10 ms latency toxic took ${delayed} ms`);
ok("addToxic latency");

const all = await toxiproxy.getAll();
assert.deepEqual(Object.keys(all), ["node_redis"]);
assert.equal(all.node_redis.listen, proxy.listen);
assert.deepEqual((await proxy.getToxic("latency_downstream")).toJson(), latency.toJson());
ok("getAll and getToxic");

const updated = await latency.update({ attributes: { latency: 200 } });
assert.deepEqual(updated.attributes, { latency: 200, jitter: 10 });
assert.equal(updated.toxicity, 1);
const slower = await roundTrip(proxy.listen);
assert.ok(slower >= 190, `a round trip with a 200±10 ms latency toxic took ${slower} ms`);
ok("toxic.update");

const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream });
assert.equal(disabled.enabled, false);
assert.equal(disabled.listen, proxy.listen);
const moved = await proxy.update({ enabled: true, listen: proxy.listen, upstream: "somehost:12345" });
assert.equal(moved.enabled, true);
assert.equal(moved.upstream, "somehost:12345");
await proxy.update({ enabled: true, listen: proxy.listen, upstream });
ok("proxy.update");

const everyType = {
  bandwidth: { rate: 1000 },
  slow_close: { delay: 100 },
  timeout: { timeout: 1000 },
  slicer: { average_size: 64, size_variation: 32, delay: 10 },
  reset_peer: { timeout: 100 },
  limit_data: { bytes: 1000 },
};
for (const [type, attributes] of Object.entries(everyType)) {
  const toxic = await proxy.addToxic({ type, attributes });
  assert.equal(toxic.name, `${type}_downstream`);
  assert.deepEqual(toxic.attributes, attributes);
  await toxic.remove();
}
ok("every toxic type");

await latency.remove();
await rejectsWithStatus(proxy.getToxic("latency_downstream"), 404);
ok("toxic.remove");

const populated = await toxiproxy.populate([{ name: "node_pop", listen: "localhost:0", upstream }]);
assert.match(populated.node_pop.listen, /^127\.0\.0\.1:\d+$/);
ok("populate");

await proxy.addToxic({ type: "timeout", attributes: { timeout: 0 } });
await populated.node_pop.update({ enabled: false, listen: populated.node_pop.listen, upstream });
await toxiproxy.reset();
await rejectsWithStatus(proxy.getToxic("timeout_downstream"), 404);
assert.equal((await toxiproxy.get("node_pop")).enabled, true);
ok("reset");

await proxy.remove();
await rejectsWithStatus(toxiproxy.get("node_redis"), 404);
ok("proxy.remove");
