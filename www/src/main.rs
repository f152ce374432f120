//! The demo site's entry: mount the notebook.

fn main() {
    leptos::mount::mount_to_body(ganglion_web::App);
}
