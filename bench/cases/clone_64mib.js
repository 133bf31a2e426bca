// Case 4d: a 64 MiB ArrayBuffer posted without a transfer list, so it is
// cloned on every hop (see ../lib/buffer_bounce.js). Metric: GB/s cloned.
import { cloneCase } from "../lib/buffer_bounce.js";

await cloneCase("clone_64mib", 64 * 1024 * 1024);
