// ES modules: relative and file: imports, import.meta, top-level await.
import { answer, url } from "./_lib/answer.js";
const again = await import(new URL("./_lib/answer.js", import.meta.url).href);
console.log(answer, again.answer === answer);
console.log(url.endsWith("/cli/_lib/answer.js"), import.meta.url.startsWith("file:///"));
const value = await new Promise((resolve) => setTimeout(() => resolve("awaited"), 5));
console.log(value);
