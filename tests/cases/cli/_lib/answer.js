export const answer = 42;
export const url = import.meta.url;
