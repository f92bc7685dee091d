// Small formatting helpers shared by both pages.

/** Seconds as mm:ss, or h:mm:ss from one hour on; negative and missing values count as 0. */
export function formatDuration(totalSeconds) {
  const seconds = Math.max(0, Math.floor(Number(totalSeconds) || 0));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * A time from the API as epoch milliseconds: snapshots give epoch seconds (number or numeric string), events give
 * ISO-8601 strings. Anything else is null.
 */
export function toEpochMs(value) {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  if (typeof value === 'number' || /^[0-9]+(\.[0-9]+)?$/.test(String(value))) {
    const n = Number(value);
    // Epoch seconds until the year 33658; anything larger is already milliseconds.
    return n < 1e12 ? n * 1000 : n;
  }
  const parsed = Date.parse(String(value));
  return Number.isNaN(parsed) ? null : parsed;
}
