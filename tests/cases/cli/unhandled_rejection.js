// exit: 1
addEventListener("unhandledrejection", (e) => console.log("event:", e.reason.message, e.promise instanceof Promise));
Promise.reject(new Error("nobody catches me"));
