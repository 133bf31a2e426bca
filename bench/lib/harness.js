// Shared by the case scripts. Plain web APIs only: it runs unchanged in
// Entangle, Deno, Node and Bun.
//
// run.py writes ../.out/scale.js (`export const scale = 0.1` for --quick).
// Scripts cannot read argv portably, so that generated module is how sizes
// reach them; a case run by hand without it uses scale 1.
const config = await import(new URL("../.out/scale.js", import.meta.url).href)
  .catch(() => ({}));

export const SCALE = typeof config.scale === "number" ? config.scale : 1;

/** `n` scaled by SCALE, at least 1. */
export const scaled = (n) => Math.max(1, Math.round(n * SCALE));

/** The one line run.py reads: `{"case":…,"metric":…,"value":…,…extra}`. */
export function report(caseName, metric, value, extra = {}) {
  console.log(JSON.stringify({ case: caseName, metric, value, ...extra }));
}
