//! The notebook's views. Each takes signals and draws; none computes a model.

pub mod charts;
pub mod explore;
pub mod models;
pub mod picker;
pub mod results;
pub mod study;
pub mod train;

use leptos::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use crate::draw::Pixels;

fn paint(canvas: &HtmlCanvasElement, p: &Pixels) {
    canvas.set_width(p.width as u32);
    canvas.set_height(p.height as u32);
    let Ok(Some(context)) = canvas.get_context("2d") else { return };
    let context: CanvasRenderingContext2d = context.unchecked_into();
    if let Ok(image) = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&p.rgba), p.width as u32, p.height as u32) {
        let _ = context.put_image_data(&image, 0.0, 0.0);
    }
}

/// A canvas that shows `pixels` (scaled by CSS, pixelated).
#[component]
pub fn PixelCanvas(
    /// What to draw.
    #[prop(into)]
    pixels: Signal<Option<Pixels>>,
    /// `data-testid` for tests.
    testid: &'static str,
    /// CSS class.
    #[prop(optional)]
    class: &'static str,
    /// Accessible description.
    #[prop(optional)]
    label: &'static str,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Canvas>::new();
    Effect::new(move |_| {
        let Some(canvas) = node.get() else { return };
        pixels.with(|p| {
            if let Some(p) = p {
                paint(&canvas, p);
            }
        });
    });
    view! { <canvas node_ref=node data-testid=testid class=format!("pixels {class}") role="img" aria-label=label /> }
}

/// Offers `text` as a download named `name`.
pub fn download(name: &str, mime: &str, text: &str) {
    offer(name, mime, &js_sys::Array::of1(&text.into()));
}

/// Offers `bytes` as a download named `name`.
pub fn download_bytes(name: &str, mime: &str, bytes: &[u8]) {
    offer(name, mime, &js_sys::Array::of1(&js_sys::Uint8Array::from(bytes).into()));
}

/// The figures a page can download: `(data-testid, file name)`; canvases as PNG, SVG
/// charts as SVG.
pub const FIGURES: [(&str, &str); 5] = [
    ("heatmap", "ganglion-activity.png"),
    ("loss-chart", "ganglion-loss.svg"),
    ("graph-inferred", "ganglion-graph-inferred.png"),
    ("graph-truth", "ganglion-graph-known.png"),
    ("graph-links", "ganglion-graph-links.svg"),
];

/// Downloads the figure with `data-testid` `testid` as `name` (PNG from a canvas,
/// standalone SVG from an inline `<svg>`); nothing when it is not on the page.
pub fn download_figure(testid: &str, name: &str) {
    let Ok(Some(element)) = document().query_selector(&format!("[data-testid=\"{testid}\"]")) else { return };
    match element.dyn_ref::<web_sys::HtmlCanvasElement>() {
        Some(canvas) => {
            if let Ok(url) = canvas.to_data_url() {
                follow_as_download(&url, name);
            }
        }
        None => {
            let _ = element.set_attribute("xmlns", "http://www.w3.org/2000/svg");
            download(name, "image/svg+xml", &element.outer_html());
        }
    }
}

fn offer(name: &str, mime: &str, parts: &js_sys::Array) {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_buffer_source_sequence_and_options(parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    follow_as_download(&url, name);
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Clicks a detached link to `url` that saves it as `name`.
fn follow_as_download(url: &str, name: &str) {
    if let Some(anchor) =
        document().create_element("a").ok().and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        anchor.set_href(url);
        anchor.set_download(name);
        anchor.click();
    }
}
