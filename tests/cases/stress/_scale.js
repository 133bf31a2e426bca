// Stress sizes: full by default; the test harness runs these cases with
// `?scale=` from ENTANGLE_STRESS_SCALE (0.1 unless set; 1 is full size).
export function scaled(moduleUrl, n) {
  const scale = Number(new URL(moduleUrl).searchParams.get("scale") ?? "1");
  return Math.max(1, Math.round(n * scale));
}
