// Messages a worker posts before close() arrive; later ones do not (WPT worker-post-after-close).
const worker = new Worker(new URL("./_echo.js", import.meta.url), { type: "module" });
worker.onmessage = (e) => console.log("got", e.data);
worker.postMessage("close");
