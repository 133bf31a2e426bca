// A worker that prints, then ends the whole process with the code it is sent.
self.onmessage = (e) => {
  console.log(`worker exits with ${e.data}`);
  Entangle.exit(e.data);
};
