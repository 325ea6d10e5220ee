// The odds' web worker (crates/web/src/worker.rs): runs the page's own wasm
// module off the main thread, so Monte Carlo never holds up typing. The page
// sends the module it already compiled and the URL of its JavaScript glue
// first; nothing is downloaded or compiled again. Later messages are jobs,
// kept here until the Rust side (`oddsWorker`) takes them over.
const early = [];
self.onmessage = ({ data }) => {
  self.onmessage = (e) => early.push(e.data);
  import(data.glue)
    .then(async (glue) => {
      await glue.default({ module_or_path: data.module });
      glue.oddsWorker(early);
    })
    .catch((e) => self.postMessage({ kind: 'failed', id: 0, why: `the odds' worker did not start: ${e}` }));
};
