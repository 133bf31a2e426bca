// console prints like Deno: object inspection, format specifiers, streams.
console.log("string", 1, -0, 10n, true, null, undefined, Symbol("s"));
console.log({ a: 1, nested: { list: [1, "two", [3]] }, fn() {}, date: new Date(0) });
console.log([1, , 3], new Map([["k", { v: 1 }]]), new Set([1, 2]));
console.log(new Uint8Array([1, 2, 3]), new ArrayBuffer(2));
const cyclic = { name: "c" };
cyclic.self = cyclic;
console.log(cyclic);
class Point {
  constructor() {
    this.x = 1;
  }
}
console.log(new Point(), [new Point()], Object.create(null));
console.log("%s is %d years", "Ann", 42, "extra");
console.log(new Error("shown with stack").stack.split("\n")[0]);
console.error("to stderr");
console.warn("warn to stderr");
console.info("info");
console.group("group");
console.log("indented");
console.groupEnd();
console.assert(1 === 2, "assertion message");
console.count();
console.count();
console.table([{ a: 1, b: 2 }]);
console.log(Promise.resolve(5), new MessageChannel().port1 instanceof MessagePort);
