addEventListener("unhandledrejection", (e) => {
  console.log("handled:", e.reason);
  e.preventDefault();
});
Promise.reject("reason");
setTimeout(() => console.log("still running"), 5);
