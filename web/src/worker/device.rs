//! Which compute device the worker trains on: WebGPU when the browser gives an adapter,
//! else burn's CPU device (flex, compiled to wasm with SIMD), with the reason shown.

use std::cell::RefCell;

use burn::prelude::Device;

use crate::protocol::BackendChoice;

/// The device for a run and why it was chosen.
#[derive(Clone)]
pub struct Chosen {
    /// The device.
    pub device: Device,
    /// "WebGPU" or "CPU".
    pub name: &'static str,
    /// Why.
    pub reason: String,
}

thread_local! {
    // A WebGPU runtime can be set up once per worker, so the first outcome is kept.
    static WEBGPU: RefCell<Option<Result<Device, String>>> = const { RefCell::new(None) };
}

fn cpu(reason: String) -> Chosen {
    Chosen { device: Device::flex(), name: "CPU", reason }
}

/// Picks the device for `choice`.
pub async fn choose(choice: BackendChoice) -> Chosen {
    if choice == BackendChoice::Cpu {
        return cpu("CPU chosen in the settings".into());
    }
    let known = WEBGPU.with_borrow(Clone::clone);
    let outcome = match known {
        Some(outcome) => outcome,
        None => {
            let outcome = webgpu().await;
            WEBGPU.set(Some(outcome.clone()));
            outcome
        }
    };
    match outcome {
        Ok(device) => Chosen { device, name: "WebGPU", reason: "the browser gave a WebGPU adapter".into() },
        Err(why) => cpu(format!("no WebGPU: {why}; training on the CPU instead")),
    }
}

/// Asks the browser for an adapter first (so a missing one is a clear reason, not a
/// failure deep in the runtime), then sets up burn's WebGPU runtime.
#[cfg(all(target_arch = "wasm32", feature = "webgpu"))]
async fn webgpu() -> Result<Device, String> {
    use js_sys::{Function, Promise, Reflect};
    use wasm_bindgen::JsCast;
    let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).map_err(|_| "no navigator")?;
    let gpu = Reflect::get(&navigator, &"gpu".into()).unwrap_or_default();
    if gpu.is_undefined() || gpu.is_null() {
        return Err("this browser does not offer WebGPU to workers".into());
    }
    let request = Reflect::get(&gpu, &"requestAdapter".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or("navigator.gpu has no requestAdapter")?;
    let promise: Promise = request.call0(&gpu).map_err(|_| "requestAdapter failed")?.unchecked_into();
    let adapter = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|_| "requestAdapter was refused")?;
    if adapter.is_null() || adapter.is_undefined() {
        return Err("the browser has WebGPU but gave no adapter".into());
    }
    use burn::tensor::wgpu::WgpuBackend;
    Device::wgpu_options()
        .graphics_api(WgpuBackend::WebGpu)
        .init_async()
        .await
        .map_err(|e| format!("setting up WebGPU failed: {e}"))
}

/// Natively (unit tests, clippy) there is no browser WebGPU, and a wasm build without the
/// `webgpu` feature (the page's, and the wasm tests') has no WebGPU runtime.
#[cfg(not(all(target_arch = "wasm32", feature = "webgpu")))]
async fn webgpu() -> Result<Device, String> {
    Err(if cfg!(target_arch = "wasm32") { "this build has no WebGPU runtime" } else { "not in a browser" }.into())
}
