// Errors of classic workers (a file, a blob: URL, a script loaded with
// importScripts) report the script's URL, line and column, and stack traces
// name the script, not the runtime's glue.
import { assertEquals, run, test } from "../_assert.js";

const here = (name) => new URL(name, import.meta.url).href;

function firstError(worker) {
  return new Promise((resolve) => {
    worker.onerror = (event) => {
      event.preventDefault();
      resolve(event);
    };
  });
}

function describe(event) {
  return `${event.message} @ ${event.filename}:${event.lineno}:${event.colno}`;
}

test("a classic worker file that throws", async () => {
  const event = await firstError(new Worker(here("_classic_throws.js")));
  assertEquals(describe(event), `Uncaught Error: line 3 @ ${here("_classic_throws.js")}:3:7`);
});

test("a classic worker from a blob: URL", async () => {
  const url = URL.createObjectURL(new Blob(["\n\nthrow new Error('x')"]));
  const event = await firstError(new Worker(url));
  assertEquals(describe(event), `Uncaught Error: x @ ${url}:3:7`);
  URL.revokeObjectURL(url);
});

test("a syntax error in a classic worker", async () => {
  const event = await firstError(new Worker(here("_classic_syntax_error.js")));
  assertEquals(describe(event), `Uncaught SyntaxError: Unexpected token ';' @ ${here("_classic_syntax_error.js")}:2:9`);
});

test("a syntax error in a blob: classic worker", async () => {
  const url = URL.createObjectURL(new Blob(["postMessage(1);\n}"]));
  const event = await firstError(new Worker(url));
  assertEquals(describe(event), `Uncaught SyntaxError: Unexpected token '}' @ ${url}:2:1`);
  URL.revokeObjectURL(url);
});

test("importScripts: the imported script's URL and line, and the stack", async () => {
  const worker = new Worker(here("_classic_imports_thrower.js"));
  const errored = firstError(worker);
  const stack = await new Promise((resolve) => (worker.onmessage = (e) => resolve(e.data)));
  // The frames below these are the runtime's (the printer leaves them out).
  assertEquals(
    stack.split("\n").slice(0, 3).join(" | "),
    [
      "TypeError: from the imported script",
      `    at fail (${here("_classic_lib_throws.js")}:4:9)`,
      `    at ${here("_classic_imports_thrower.js")}:4:3`,
    ].join(" | "),
  );
  const event = await errored;
  assertEquals(describe(event), `Uncaught TypeError: from the imported script @ ${here("_classic_lib_throws.js")}:4:9`);
});

await run();
