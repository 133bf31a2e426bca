// A module worker for wasm_module.js: instantiates the modules it is sent,
// and sends back one compiled here.
import { ADD_WASM } from "./_wasm_bytes.js";

function add(module) {
  return new WebAssembly.Instance(module).exports.add;
}

self.onmessage = async ({ data }) => {
  if (data === "send one") {
    postMessage({ module: new WebAssembly.Module(ADD_WASM) });
    return;
  }
  if (data.sendOn) {
    // To another worker, over a port the main script handed out.
    data.sendOn.postMessage({ module: new WebAssembly.Module(ADD_WASM) });
    return;
  }
  if (data.receiveOn) {
    data.receiveOn.onmessage = (e) => postMessage({ fromWorker: add(e.data.module)(20, 22) });
    postMessage("listening");
    return;
  }
  // Given a module (not bytes), instantiate() resolves to the Instance.
  const instance = await WebAssembly.instantiate(data.module);
  postMessage({ sum: instance.exports.add(2, 3), same: data.module === data.again });
};
