//! The notebook's views. Each takes signals and draws; none computes a model.

pub mod charts;
pub mod explore;
pub mod results;
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
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Some(anchor) =
        document().create_element("a").ok().and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
