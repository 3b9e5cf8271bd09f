const supportedTimeZones = new Set(Intl.supportedValuesOf('timeZone'));

/**
 * IANA zone names the runtime knows. `Intl.supportedValuesOf` lists canonical names only (Node 20
 * omits `UTC` and newer spellings such as `Europe/Kyiv`), so names it lacks are accepted when
 * `Intl.DateTimeFormat` resolves them; offset strings like `+01:00` are not zone names and fail.
 */
export function isTimeZone(name: string): boolean {
  if (supportedTimeZones.has(name)) return true;
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
