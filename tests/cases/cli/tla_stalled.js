// exit: 1
await new Promise(() => {});
