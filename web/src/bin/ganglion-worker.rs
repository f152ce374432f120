//! The notebook's training worker: trunk builds this binary as a module Web Worker.

fn main() {
    ganglion_web::worker::start();
}
