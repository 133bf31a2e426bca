// Case 4b: a 256 MiB ArrayBuffer transferred through a port (see ../lib/transfer.js).
// Compared with transfer_64mib: same time per transfer means no copy.
import { transferCase } from "../lib/transfer.js";

await transferCase("transfer_256mib", 256 * 1024 * 1024);
