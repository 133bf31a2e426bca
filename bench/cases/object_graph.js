// Case 3: a 1000-object graph (~150 KB as JSON) posted through a port.
// The graph has shared references and cycles (parent <-> children), which
// structured clone must preserve. Messages are posted in batches of 32 (the
// next batch goes once the previous one has arrived) so memory stays bounded.
// Metric: messages per second, serialization + delivery + deserialization.
import { report, scaled } from "../lib/harness.js";

function makeGraph(size) {
  const kinds = ["alpha", "beta", "gamma", "delta"];
  const nodes = [];
  for (let i = 0; i < size; i++) {
    nodes.push({
      id: i,
      name: `node-${i}`,
      kind: kinds[i % kinds.length],
      weight: i * 1.5 + 0.25,
      active: i % 3 === 0,
      pos: { x: i % 100, y: Math.floor(i / 100) },
      labels: [`l${i % 7}`, `l${i % 11}`],
      parent: null,
      children: [],
    });
  }
  for (let i = 1; i < size; i++) {
    const parent = nodes[(i - 1) >> 1];
    nodes[i].parent = parent;
    parent.children.push(nodes[i]);
  }
  return { root: nodes[0], nodes, meta: { version: 1, count: size } };
}

const graph = makeGraph(1000);
// Size as JSON, with the references written as ids (JSON has no cycles).
const jsonBytes =
  JSON.stringify(graph.nodes, (k, v) => k === "parent" ? v?.id ?? null : k === "children" ? v.map((c) => c.id) : v)
    .length;

function check(g) {
  const ok = g.nodes.length === 1000 && g.root === g.nodes[0] &&
    g.nodes[999].parent === g.nodes[499] && g.nodes[499].children.includes(g.nodes[999]) &&
    g.nodes[7].labels[1] === "l7";
  if (!ok) throw new Error("the graph arrived with its shape or references broken");
}

const { port1, port2 } = new MessageChannel();
const BATCH = 32;

function send(n) {
  return new Promise((resolve) => {
    let sent = 0;
    let got = 0;
    let t0 = 0;
    const postBatch = () => {
      const end = Math.min(n, sent + BATCH);
      for (; sent < end; sent++) port1.postMessage(graph);
    };
    port2.onmessage = (e) => {
      if (got === 0) check(e.data);
      if (++got === n) resolve(performance.now() - t0);
      else if (got === sent) postBatch();
    };
    t0 = performance.now();
    postBatch();
  });
}

await send(scaled(100)); // warm-up
const n = scaled(1_000);
const ms = await send(n);
report("object_graph", "msgs_per_s", (n * 1000) / ms, { n, json_bytes: jsonBytes });

port1.close();
port2.close();
