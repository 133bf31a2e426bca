// After close(), what the current task posts still arrives; later tasks never
// run (WPT worker-post-after-close, workers/.../close/sending-messages).
const worker = new Worker(new URL("./_echo.js", import.meta.url), { type: "module" });
worker.onmessage = (e) => console.log("got", e.data);
worker.postMessage("close");
