//! Trained models kept in the browser's IndexedDB (database `ganglion`, object store
//! `models`), so they survive a reload and never leave the machine. Each entry holds a
//! name, a one-line summary, when it was saved and the checkpoint bytes.

use std::sync::Arc;

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use leptos::prelude::window;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbObjectStoreParameters, IdbRequest, IdbTransactionMode};

const DATABASE: &str = "ganglion";
const STORE: &str = "models";

/// One saved model.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedModel {
    /// IndexedDB key.
    pub id: f64,
    /// The name the user gave it.
    pub name: String,
    /// What it is (model, task, steps, animals).
    pub summary: String,
    /// When it was saved (ISO 8601).
    pub saved_at: String,
    /// Checkpoint bytes.
    pub bytes: Arc<Vec<u8>>,
}

fn js_error(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser's storage failed".into())
}

/// Resolves with the request's result once it succeeds.
async fn finished(request: &IdbRequest) -> Result<JsValue, String> {
    let promise = Promise::new(&mut |resolve, reject| {
        let done = request.clone();
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &done.result().unwrap_or(JsValue::UNDEFINED));
        });
        let failed = request.clone();
        let on_error = Closure::once_into_js(move || {
            let message = failed.error().ok().flatten().map_or_else(|| "unknown error".into(), |e| e.message());
            let _ = reject.call1(&JsValue::NULL, &format!("the browser's storage refused: {message}").into());
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(js_error)
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = window()
        .indexed_db()
        .map_err(js_error)?
        .ok_or("this browser does not offer IndexedDB (a private window may turn it off)")?;
    let request = factory.open_with_u32(DATABASE, 1).map_err(js_error)?;
    let upgrading = request.clone();
    let on_upgrade = Closure::once_into_js(move || {
        if let Ok(db) = upgrading.result() {
            let db: IdbDatabase = db.unchecked_into();
            let params = IdbObjectStoreParameters::new();
            params.set_auto_increment(true);
            params.set_key_path(&"id".into());
            let _ = db.create_object_store_with_optional_parameters(STORE, &params);
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    Ok(finished(&request).await?.unchecked_into())
}

async fn models(mode: IdbTransactionMode) -> Result<IdbObjectStore, String> {
    let db = open().await?;
    db.transaction_with_str_and_mode(STORE, mode).and_then(|t| t.object_store(STORE)).map_err(js_error)
}

/// Saves a model; returns its key.
pub async fn save(name: &str, summary: &str, bytes: &[u8]) -> Result<f64, String> {
    let entry = Object::new();
    let set = |k: &str, v: JsValue| Reflect::set(&entry, &k.into(), &v).map(|_| ()).map_err(js_error);
    set("name", name.into())?;
    set("summary", summary.into())?;
    set("saved_at", js_sys::Date::new_0().to_iso_string().into())?;
    set("bytes", Uint8Array::from(bytes).into())?;
    let store = models(IdbTransactionMode::Readwrite).await?;
    let key = finished(&store.add(&entry).map_err(js_error)?).await?;
    key.as_f64().ok_or_else(|| "the browser's storage gave no key".into())
}

/// Every saved model, oldest first.
pub async fn list() -> Result<Vec<SavedModel>, String> {
    let store = models(IdbTransactionMode::Readonly).await?;
    let all: Array = finished(&store.get_all().map_err(js_error)?).await?.unchecked_into();
    let text = |o: &JsValue, k: &str| Reflect::get(o, &k.into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    Ok(all
        .iter()
        .filter_map(|o| {
            let id = Reflect::get(&o, &"id".into()).ok()?.as_f64()?;
            let bytes = Reflect::get(&o, &"bytes".into()).ok()?.dyn_into::<Uint8Array>().ok()?.to_vec();
            Some(SavedModel {
                id,
                name: text(&o, "name"),
                summary: text(&o, "summary"),
                saved_at: text(&o, "saved_at"),
                bytes: Arc::new(bytes),
            })
        })
        .collect())
}

/// Deletes the model with key `id`.
pub async fn delete(id: f64) -> Result<(), String> {
    let store = models(IdbTransactionMode::Readwrite).await?;
    finished(&store.delete(&id.into()).map_err(js_error)?).await.map(|_| ())
}
