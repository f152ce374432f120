// ganglion: neural-population models trained and evaluated in the browser.
//
// The npm package's module: the typed JS API (api.js: a worker's messages, recordings,
// models, training) and the custom elements built on it (elements.js), which importing
// this file registers. Types: ganglion.d.ts.

import { defineElements } from './elements.js';

export * from './api.js';
export * from './elements.js';

defineElements();
