setTimeout(() => console.log("worker timer fired"), 30);
