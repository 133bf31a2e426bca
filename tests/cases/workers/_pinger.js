let n = 0;
onmessage = (e) => {
  n++;
  postMessage(e.data + 1);
};
