//! The notebook's training worker: `cargo xtask site` builds this binary, and
//! `web/js/worker.js` starts it as a module Web Worker.

fn main() {
    ganglion_web::worker::start();
}
