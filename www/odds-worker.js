// The odds' web worker (crates/web/src/worker.rs): runs the page's own wasm
// module off the main thread, so Monte Carlo never holds up typing. The page
// sends the module it already compiled and the URL of its JavaScript glue
// first; nothing is downloaded or compiled again. Later messages are jobs,
// kept here until the Rust side (`oddsWorker`) takes them over.
const early = [];
self.onmessage = ({ data }) => {
  self.onmessage = (e) => early.push(e.data);
  const glue = new URL(data.glue, self.location.href);
  // Only the page's own code, from the page's own origin.
  const start = glue.origin === self.location.origin
    ? import(glue.href)
    : Promise.reject(new Error(`the glue ${glue.href} is not from ${self.location.origin}`));
  start
    .then(async (bindings) => {
      await bindings.default({ module_or_path: data.module });
      bindings.oddsWorker(early);
    })
    .catch((e) => self.postMessage({ Failed: { id: 0, why: `the odds' worker did not start: ${e}` } }));
};
