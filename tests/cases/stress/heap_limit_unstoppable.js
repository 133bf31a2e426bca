// args: run --heap-limit 64 $FILE
// exit: 1
// stderr: last line
// A loop of nothing but built-in calls never checks for interrupts once V8
// has optimized it, so terminating the script cannot land; V8 gives up when
// the heap has grown to four times its limit. The process still ends with a
// one-line error and exit status 1, not an abort with a stack dump.
console.log("filling the heap");
const hoard = [];
for (;;) hoard.push(new Array(1000));
