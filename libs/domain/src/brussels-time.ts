/** Local time in Europe/Brussels, where every activity of the platform takes place (calendars show it so). */
const OFFSET_FORMAT = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Brussels', timeZoneName: 'longOffset' });
const PARTS_FORMAT = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Brussels',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The offset of Europe/Brussels at an instant: "+01:00" (winter) or "+02:00" (summer). */
export function brusselsOffset(instant: Date): string {
  const name = OFFSET_FORMAT.formatToParts(instant).find((part) => part.type === 'timeZoneName')!.value;
  return name === 'GMT' ? '+00:00' : name.replace('GMT', '');
}

/** ISO 8601 in Brussels local time with its offset, as schema.org consumers expect: 2027-02-01T20:00:00+01:00. */
export function brusselsDateTime(instant: Date | string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const part = Object.fromEntries(PARTS_FORMAT.formatToParts(date).map((entry) => [entry.type, entry.value]));
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}:${part.second}${brusselsOffset(date)}`;
}
