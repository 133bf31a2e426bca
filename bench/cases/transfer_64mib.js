// Case 4a: a 64 MiB ArrayBuffer transferred through a port (see ../lib/transfer.js).
import { transferCase } from "../lib/transfer.js";

await transferCase("transfer_64mib", 64 * 1024 * 1024);
