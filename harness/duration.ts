/** How every netrepro message writes a duration: `4.2 s`, `42 s`, `2m 05s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** The inverse of formatDuration (to its precision); undefined for text it does not write. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  let m = /^(\d+(?:\.\d+)?) s$/.exec(t);
  if (m) return Math.round(Number(m[1]) * 1000);
  m = /^(\d+)m (\d{2})s$/.exec(t);
  if (m) return (Number(m[1]) * 60 + Number(m[2])) * 1000;
  m = /^(\d+)h (\d{2})m$/.exec(t);
  if (m) return (Number(m[1]) * 60 + Number(m[2])) * 60_000;
  return undefined;
}
