// 200 workers created and terminated in a loop, then one more that works.
for (let i = 0; i < 200; i++) {
  const worker = new Worker(new URL("./_echo.js", import.meta.url), { type: "module" });
  worker.postMessage(i);
  worker.terminate();
}
const worker = new Worker(new URL("./_echo.js", import.meta.url), { type: "module" });
worker.onmessage = (e) => {
  console.log("still working:", e.data);
  worker.terminate();
};
worker.postMessage("after 200");
