// Allocates until its isolate reaches the heap limit.
const hoard = [];
onmessage = () => {
  for (;;) hoard.push({ at: hoard.length });
};
