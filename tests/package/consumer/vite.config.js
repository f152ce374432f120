// As the package README says: an ES module worker, and the package left out of
// dependency pre-bundling so its worker and wasm stay beside it.
export default {
  build: { target: 'esnext' },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['ganglion'] },
};
