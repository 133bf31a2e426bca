// The worker-like global scope and its web APIs.
import { assert, assertEquals, assertThrows, run, sleep, test } from "../_assert.js";

test("globalThis, self and the EventTarget global", () => {
  assertEquals(self, globalThis);
  assert(globalThis instanceof EventTarget);
  let fired = 0;
  addEventListener("custom", () => fired++);
  dispatchEvent(new Event("custom"));
  assertEquals(fired, 1);
  assertEquals(typeof Deno, "undefined", "no runtime internals");
  assertEquals(typeof __bootstrap, "undefined");
  assertEquals(typeof require, "undefined");
});

test("interfaces are non-enumerable, operations enumerable", () => {
  for (
    const name of [
      "EventTarget",
      "Event",
      "MessageEvent",
      "ErrorEvent",
      "DOMException",
      "TextEncoder",
      "TextDecoder",
      "URL",
      "URLSearchParams",
      "Blob",
      "MessageChannel",
      "MessagePort",
      "AbortController",
    ]
  ) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    assert(d && d.writable && d.configurable && !d.enumerable, name);
  }
  for (
    const name of [
      "setTimeout",
      "setInterval",
      "clearTimeout",
      "clearInterval",
      "structuredClone",
      "atob",
      "btoa",
      "reportError",
      "queueMicrotask",
    ]
  ) {
    assertEquals(typeof globalThis[name], "function", name);
  }
});

test("timers run in order and can be cleared", async () => {
  const log = [];
  setTimeout(() => log.push("b"), 10);
  setTimeout((x) => log.push(x), 0, "a");
  const cleared = setTimeout(() => log.push("never"), 5);
  clearTimeout(cleared);
  let ticks = 0;
  const interval = setInterval(() => {
    if (++ticks === 3) clearInterval(interval);
  }, 1);
  await sleep(30);
  assertEquals(log.join(""), "ab");
  assertEquals(ticks, 3);
  assert(typeof setTimeout(() => {}) === "number");
});

test("queueMicrotask runs before timers", async () => {
  const log = [];
  setTimeout(() => log.push("timer"), 0);
  queueMicrotask(() => log.push("microtask"));
  await sleep(5);
  assertEquals(log.join(), "microtask,timer");
});

test("TextEncoder / TextDecoder", () => {
  const bytes = new TextEncoder().encode("h\u00e9\u{1f600}");
  assertEquals(bytes.length, 7);
  assertEquals(new TextDecoder().decode(bytes), "h\u00e9\u{1f600}");
  assertEquals(new TextDecoder().decode(new Uint8Array([0xff])), "\ufffd");
  assertThrows(() => new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([0xff])), TypeError);
});

test("atob / btoa", () => {
  assertEquals(btoa("hello"), "aGVsbG8=");
  assertEquals(atob("aGVs bG8"), "hello");
  assertThrows(() => atob("*"), "InvalidCharacterError");
  assertThrows(() => btoa("\u0100"), "InvalidCharacterError");
});

test("URL and URLSearchParams", () => {
  const url = new URL("../b/c?x=1#h", "https://user@example.com:8080/a/d");
  assertEquals(url.href, "https://user@example.com:8080/b/c?x=1#h");
  assertEquals(url.origin, "https://example.com:8080");
  url.searchParams.append("y", "a b");
  assertEquals(url.search, "?x=1&y=a+b");
  url.hostname = "example.org";
  assertEquals(url.host, "example.org:8080");
  assertThrows(() => new URL("not a url"), TypeError);
  assertEquals(URL.canParse("http://x"), true);
  assertEquals(new URLSearchParams({ a: "1", b: "2" }).toString(), "a=1&b=2");
});

test("Blob and blob: URLs", async () => {
  const blob = new Blob(["ab", new Uint8Array([99])], { type: "Text/Plain" });
  assertEquals(blob.size, 3);
  assertEquals(blob.type, "text/plain");
  assertEquals(await blob.slice(1).text(), "bc");
  assertEquals(new Uint8Array(await blob.arrayBuffer())[2], 99);
  const url = URL.createObjectURL(blob);
  assert(url.startsWith("blob:"), url);
  URL.revokeObjectURL(url);
});

test("performance.now is monotonic and fine-grained", async () => {
  const a = performance.now();
  await sleep(2);
  const b = performance.now();
  assert(b > a && b - a < 1000);
  assert(performance.timeOrigin > 1.6e12);
});

test("reportError dispatches an ErrorEvent", () => {
  let seen;
  const listener = (e) => {
    seen = e;
    e.preventDefault();
  };
  addEventListener("error", listener);
  reportError(new Error("reported"));
  removeEventListener("error", listener);
  assert(seen instanceof ErrorEvent);
  assertEquals(seen.error.message, "reported");
  assertEquals(seen.message, "Uncaught Error: reported");
});

test("DOMException", () => {
  const e = new DOMException("m", "NotFoundError");
  assertEquals(e.code, 8);
  assert(e instanceof Error);
  assertEquals(String(e), "NotFoundError: m");
  assertEquals(DOMException.DATA_CLONE_ERR, 25);
});

test("AbortController", () => {
  const controller = new AbortController();
  let aborted = false;
  controller.signal.onabort = () => (aborted = true);
  controller.abort();
  assert(aborted && controller.signal.aborted);
  assertEquals(controller.signal.reason.name, "AbortError");
});

await run();
