// exit: 1
// An error in an imported module prints its line with a caret.
import "./_lib/throws_on_import.js";
