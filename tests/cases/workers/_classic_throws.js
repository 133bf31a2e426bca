// A classic worker whose script throws on its third line.

throw new Error("line 3");
