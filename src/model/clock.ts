/**
 * The time a report is made: SOURCE_DATE_EPOCH (seconds since the epoch, the reproducible-builds convention)
 * when it is set to a whole number, else now. The one place that reads it.
 */
export function reportTime(env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env["SOURCE_DATE_EPOCH"];
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date();
}
