/**
 * Plain-text tables for terminal output (synth's summary, `cloudmend invoke`):
 * columns two spaces apart, the last column unpadded so a long message leaves
 * no trailing spaces and wraps naturally.
 */

/** Rows as aligned columns; rows may be shorter than others. */
export function columns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A header row, a rule of dashes under each header, then the rows. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  return columns([headers, widths.map((width) => '-'.repeat(width)), ...rows.map((row) => headers.map((_, i) => row[i] ?? ''))]);
}
