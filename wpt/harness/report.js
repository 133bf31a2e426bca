// Entangle's replacement for upstream's resources/testharnessreport.js: hands
// testharness.js's results to the runner as one line on stdout, and makes the
// harness time out after the file's time budget (testharness.js has none when
// it runs outside a window).
(function () {
  const SUBTEST = ["PASS", "FAIL", "TIMEOUT", "NOTRUN", "PRECONDITION_FAILED"];
  const HARNESS = ["OK", "ERROR", "TIMEOUT", "PRECONDITION_FAILED"];
  const timer = setTimeout(() => timeout(), __ENTANGLE_WPT_TIMEOUT__);
  add_completion_callback((tests, status) => {
    clearTimeout(timer);
    const result = {
      status: HARNESS[status.status] ?? "ERROR",
      message: status.message ?? null,
      subtests: tests.map((t) => ({
        name: String(t.name),
        status: SUBTEST[t.status] ?? "FAIL",
        message: t.message ?? null,
      })),
    };
    console.log("@@entangle-wpt@@" + JSON.stringify(result));
  });
})();
