// The ganglion worker: loads the wasm build of web/src/worker (wasm-bindgen, --target web),
// whose start function installs the message handler and posts `ready`.
import init from './ganglion-worker.js';

await init();
