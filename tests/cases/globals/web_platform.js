// The web platform that deno_web and deno_crypto provide, in the main scope
// and, by running this same module as a worker, in a worker scope.
import { assert, assertEquals, assertRejects, assertThrows, next, run, test } from "../_assert.js";

const inWorker = typeof WorkerGlobalScope !== "undefined";

test("interfaces are installed with WebIDL's descriptors", () => {
  const interfaces = [
    "AbortController",
    "AbortSignal",
    "Blob",
    "ByteLengthQueuingStrategy",
    "CloseEvent",
    "CompressionStream",
    "CountQueuingStrategy",
    "Crypto",
    "CryptoKey",
    "CustomEvent",
    "DecompressionStream",
    "DOMException",
    "ErrorEvent",
    "Event",
    "EventTarget",
    "File",
    "FileReader",
    "MessageEvent",
    "Performance",
    "PerformanceEntry",
    "PerformanceMark",
    "PerformanceMeasure",
    "ProgressEvent",
    "PromiseRejectionEvent",
    "ReadableByteStreamController",
    "ReadableStream",
    "ReadableStreamBYOBReader",
    "ReadableStreamBYOBRequest",
    "ReadableStreamDefaultController",
    "ReadableStreamDefaultReader",
    "SubtleCrypto",
    "TextDecoder",
    "TextDecoderStream",
    "TextEncoder",
    "TextEncoderStream",
    "TransformStream",
    "TransformStreamDefaultController",
    "URL",
    "URLPattern",
    "URLSearchParams",
    "WritableStream",
    "WritableStreamDefaultController",
    "WritableStreamDefaultWriter",
    inWorker ? "WorkerNavigator" : "Navigator",
  ];
  for (const name of interfaces) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    assert(d && typeof d.value === "function" && d.writable && d.configurable && !d.enumerable, name);
  }
  for (const name of ["crypto", "navigator"]) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    assert(d && typeof d.get === "function" && d.set === undefined && d.enumerable && d.configurable, name);
  }
  const d = Object.getOwnPropertyDescriptor(globalThis, "console");
  assert(d.writable && d.configurable && !d.enumerable, "console");
  assertEquals(Object.prototype.toString.call(crypto), "[object Crypto]");
});

test("events: CustomEvent, CloseEvent, ProgressEvent, AbortSignal.any and timeout", async () => {
  const target = new EventTarget();
  let detail;
  target.addEventListener("ping", (e) => (detail = e.detail));
  target.dispatchEvent(new CustomEvent("ping", { detail: { n: 1 } }));
  assertEquals(detail.n, 1);
  assertEquals(new CloseEvent("close", { code: 1000, wasClean: true }).code, 1000);
  assertEquals(new ProgressEvent("progress", { loaded: 5, total: 10 }).loaded, 5);
  const controller = new AbortController();
  const any = AbortSignal.any([controller.signal, AbortSignal.timeout(60_000)]);
  controller.abort("stop");
  assert(any.aborted && any.reason === "stop");
  const timeout = AbortSignal.timeout(1);
  await next(timeout, "abort");
  assertEquals(timeout.reason.name, "TimeoutError");
});

test("encodings: every WHATWG encoding, and the encoding streams", async () => {
  assertEquals(new TextDecoder("shift_jis").decode(new Uint8Array([0x82, 0xa0])), "あ");
  assertEquals(new TextDecoder("windows-1252").decode(new Uint8Array([0x80])), "€");
  assertEquals(new TextDecoder("gb18030").decode(new Uint8Array([0x81, 0x30, 0x81, 0x30])), "\u0080");
  assertEquals(new TextDecoder("utf-16le").decode(new Uint8Array([0x41, 0x00])), "A");
  assertThrows(() => new TextDecoder("no-such-encoding"), RangeError);
  const bytes = new TextEncoder().encode("héllo");
  const text = await new Response_(new Blob([bytes]).stream().pipeThrough(new TextDecoderStream())).text();
  assertEquals(text, "héllo");
  const encoded = await new Response_(
    ReadableStream.from(["a", "é"]).pipeThrough(new TextEncoderStream()),
  ).bytes();
  assertEquals(encoded.join(), "97,195,169");
});

test("streams: byte streams with BYOB readers, writable and transform streams, strategies", async () => {
  const byteStream = new ReadableStream({
    type: "bytes",
    pull(controller) {
      controller.byobRequest.view[0] = 7;
      controller.byobRequest.respond(1);
      controller.close();
    },
  });
  const reader = byteStream.getReader({ mode: "byob" });
  const { value } = await reader.read(new Uint8Array(4));
  assertEquals(value.length, 1);
  assertEquals(value[0], 7);
  const written = [];
  const writable = new WritableStream(
    { write: (chunk) => written.push(chunk) },
    new CountQueuingStrategy({ highWaterMark: 2 }),
  );
  const doubled = new TransformStream({ transform: (chunk, c) => c.enqueue(chunk * 2) });
  await ReadableStream.from([1, 2, 3]).pipeThrough(doubled).pipeTo(writable);
  assertEquals(written.join(), "2,4,6");
  assertEquals(new ByteLengthQueuingStrategy({ highWaterMark: 16 }).size(new Uint8Array(5)), 5);
});

test("compression streams round trip", async () => {
  const input = new TextEncoder().encode("entangle ".repeat(100));
  const compressed = await new Response_(new Blob([input]).stream().pipeThrough(new CompressionStream("gzip"))).bytes();
  assert(compressed.length < input.length);
  const back = await new Response_(new Blob([compressed]).stream().pipeThrough(new DecompressionStream("gzip")))
    .bytes();
  assertEquals(new TextDecoder().decode(back), "entangle ".repeat(100));
});

test("Blob, File and FileReader", async () => {
  const file = new File(["ab", new Blob(["c"])], "x.txt", { type: "text/plain", lastModified: 5 });
  assertEquals(await file.text(), "abc");
  assertEquals(await file.slice(1).text(), "bc");
  assertEquals(file.name + file.lastModified + file.type, "x.txt5text/plain");
  const reader = new FileReader();
  reader.readAsDataURL(file);
  await next(reader, "load");
  assertEquals(reader.result, "data:text/plain;base64,YWJj");
});

test("URL, URLSearchParams, URLPattern, atob and btoa", () => {
  const url = new URL("../b?x=1#h", "https://example.org/a/c");
  assertEquals(url.href, "https://example.org/b?x=1#h");
  url.searchParams.append("y", "2 3");
  assertEquals(url.search, "?x=1&y=2+3");
  const pattern = new URLPattern({ pathname: "/users/:id" });
  assertEquals(pattern.exec("https://e.org/users/42").pathname.groups.id, "42");
  assertEquals(atob(btoa("entangle")), "entangle");
  assertThrows(() => atob("*"), "InvalidCharacterError");
});

test("performance: now, timeOrigin, mark and measure", () => {
  assert(performance.timeOrigin > 1.6e12);
  performance.mark("a");
  const measure = performance.measure("a to now", "a");
  assert(measure.duration >= 0 && measure.entryType === "measure");
  assertEquals(performance.getEntriesByName("a")[0].entryType, "mark");
  assert(performance.now() > 0);
});

test("timers, queueMicrotask and reportError", async () => {
  const order = [];
  await new Promise((resolve) => {
    setTimeout(() => {
      order.push("timeout");
      resolve();
    }, 1);
    queueMicrotask(() => order.push("microtask"));
  });
  assertEquals(order.join(), "microtask,timeout");
  let reported;
  const listener = (e) => {
    reported = e.error;
    e.preventDefault();
  };
  addEventListener("error", listener);
  reportError(new Error("reported"));
  removeEventListener("error", listener);
  assertEquals(reported.message, "reported");
});

test("crypto: getRandomValues, randomUUID, subtle", async () => {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  assert(bytes.some((b) => b !== 0));
  assert(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode("abc")));
  assertEquals(digest[0].toString(16) + digest[31].toString(16), "baad");
  const key = await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  assert(key instanceof CryptoKey);
  const signature = await crypto.subtle.sign("HMAC", key, new Uint8Array([1]));
  assert(await crypto.subtle.verify("HMAC", key, signature, new Uint8Array([1])));
  await assertRejects(() => crypto.subtle.digest("NOPE", new Uint8Array()), "NotSupportedError");
});

test("navigator", () => {
  assert(Number.isInteger(navigator.hardwareConcurrency) && navigator.hardwareConcurrency >= 1);
  assert(navigator.userAgent.startsWith("Entangle/"));
  assertEquals(navigator.language, "en-US");
  assertEquals(navigator.languages.join(), "en-US");
  assertEquals(typeof navigator.platform, "string");
  assertEquals(Object.prototype.toString.call(navigator), inWorker ? "[object WorkerNavigator]" : "[object Navigator]");
  assertThrows(() => new (inWorker ? WorkerNavigator : Navigator)(), TypeError);
});

/** A `Response`-like reader of a stream (the Fetch API is not part of the runtime). */
function Response_(stream) {
  const bytes = async () => {
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  };
  return {
    bytes,
    text: async () => {
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      return chunks.join("");
    },
  };
}

if (inWorker) {
  console.log("-- in a worker");
  await run();
  postMessage("done");
} else {
  console.log("-- in the main scope");
  await run();
  const worker = new Worker(import.meta.url, { type: "module" });
  await next(worker);
  worker.terminate();
}
