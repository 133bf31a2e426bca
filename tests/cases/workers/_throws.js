self.onmessage = () => {
  throw new RangeError("thrown in worker");
};
