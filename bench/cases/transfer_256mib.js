// Case 4b: a 256 MiB ArrayBuffer transferred through a port (see ../lib/buffer_bounce.js).
// Compared with transfer_64mib: same time per transfer means no copy.
import { transferCase } from "../lib/buffer_bounce.js";

await transferCase("transfer_256mib", 256 * 1024 * 1024);
