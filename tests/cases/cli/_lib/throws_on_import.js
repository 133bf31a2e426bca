// A module that throws while it is evaluated, indented by a tab.
export function check(n) {
  if (n > 1) {
    throw new RangeError(`too big: ${n}`);
  }
}
check(2);
