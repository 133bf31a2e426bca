// Both ends unreachable: the process must exit even though a listener is set.
{
  const { port1 } = new MessageChannel();
  port1.onmessage = () => console.log("unexpected");
}
console.log("done");
