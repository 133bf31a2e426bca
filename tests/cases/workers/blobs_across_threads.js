// Blobs and blob: URLs live in one store per cluster: a blob: URL made on one
// thread is readable on another, and Blobs and Files posted to a worker keep
// their bytes, type, name and date.
import { assertEquals, assertRejects, next, run, test } from "../_assert.js";

const workerSource = `
onmessage = async ({ data }) => {
  if (data.import) {
    const module = await import(data.import);
    postMessage(module.answer);
  } else if (data.make) {
    postMessage(URL.createObjectURL(new Blob(["export const answer = 'made in a worker';"], { type: "text/javascript" })));
  } else {
    postMessage({ echo: data.blob, text: await data.blob.text() });
  }
};`;
const workerURL = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
const worker = new Worker(workerURL, { type: "module" });

async function ask(message) {
  worker.postMessage(message);
  return (await next(worker)).data;
}

test("a worker imports a blob: URL made in the main scope", async () => {
  const url = URL.createObjectURL(new Blob(["export const answer = 42;"], { type: "text/javascript" }));
  assertEquals(await ask({ import: url }), 42);
});

test("the main scope imports a blob: URL made in a worker", async () => {
  const url = await ask({ make: true });
  assertEquals((await import(url)).answer, "made in a worker");
  URL.revokeObjectURL(url);
  await assertRejects(() => import(`${url}#again`), TypeError);
});

test("a Blob and a File go to a worker and back", async () => {
  const blob = new Blob(["héllo ", new Uint8Array([0x77, 0x6f, 0x72, 0x6c, 0x64])], { type: "text/plain" });
  const reply = await ask({ blob });
  assertEquals(reply.text, "héllo world");
  assertEquals(reply.echo instanceof Blob, true);
  assertEquals(`${reply.echo.type} ${reply.echo.size}`, "text/plain 12");
  const file = new File(["data"], "a.txt", { type: "text/plain", lastModified: 1234 });
  const back = (await ask({ blob: file })).echo;
  assertEquals(back instanceof File, true);
  assertEquals(`${back.name} ${back.lastModified} ${back.type} ${await back.text()}`, "a.txt 1234 text/plain data");
});

test("structuredClone of a Blob, and a blob: URL revoked", async () => {
  const clone = structuredClone(new Blob(["abc"], { type: "x/y" }));
  assertEquals(`${clone.type} ${await clone.text()}`, "x/y abc");
  const url = URL.createObjectURL(new Blob(["export default 1;"], { type: "text/javascript" }));
  URL.revokeObjectURL(url);
  await assertRejects(() => import(url), TypeError);
});

await run();
worker.terminate();
