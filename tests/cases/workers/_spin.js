postMessage("spinning");
for (;;) {}
