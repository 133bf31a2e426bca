const inner = new Worker(new URL("./_echo.js", import.meta.url), { type: "module", name: "inner" });
inner.onmessage = (e) => {
  postMessage(`inner says ${e.data}`);
  inner.terminate();
};
inner.postMessage("name");
