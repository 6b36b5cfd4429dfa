/* The figure table and number formats every benchmark report prints, so they read alike. */

/** One line of a report's table: a figure, what was measured, the goal it is held to, met or not. */
export interface ReportRow {
  figure: string;
  measured: string;
  goal: string;
  status: string;
}

/**
 * The rows as an aligned text table with a header line and a rule. `statusHeader` names the last
 * column (the reports differ: "status" or "met?"); trailing blanks are trimmed.
 */
export function formatTable(rows: readonly ReportRow[], statusHeader = 'status'): string[] {
  const header: ReportRow = { figure: 'figure', measured: 'measured', goal: 'goal', status: statusHeader };
  const all = [header, ...rows];
  const width = (key: keyof ReportRow): number => Math.max(...all.map((r) => r[key].length));
  const w = { figure: width('figure'), measured: width('measured'), goal: width('goal'), status: width('status') };
  const line = (r: ReportRow): string => `${r.figure.padEnd(w.figure)}  ${r.measured.padEnd(w.measured)}  ${r.goal.padEnd(w.goal)}  ${r.status}`.trimEnd();
  return [line(header), '-'.repeat(w.figure + w.measured + w.goal + w.status + 6), ...rows.map(line)];
}

/** Milliseconds: two decimals below 10 ms, one above ("3.14 ms", "42.0 ms"). */
export function ms(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}

/** A ratio as a percentage with one decimal (0.123 → "12.3%"). */
export function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

/** Bytes in MiB with one decimal, as ps and top count a "MB". */
export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** A count, rounded, with thousands separators ("12,345"). */
export function int(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A rate per second ("1,234/s"). */
export function rate(value: number): string {
  return `${int(value)}/s`;
}

/** A ratio as a factor ("1.25x"). */
export function ratio(value: number): string {
  return `${value.toFixed(2)}x`;
}
