// Case 4a: a 64 MiB ArrayBuffer transferred through a port (see ../lib/buffer_bounce.js).
import { transferCase } from "../lib/buffer_bounce.js";

await transferCase("transfer_64mib", 64 * 1024 * 1024);
