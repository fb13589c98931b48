/** A table to print: a header row and body rows of the same width; numeric-looking cells align right. */
export interface MarkdownTable {
  /** Column headings. */
  headers: string[];
  /** Body rows, one cell per heading. */
  rows: string[][];
}

const NUMERIC_CELL = /^[-+]?[\d.,]+\s*(?:[a-zµ/%×]+)?$/i;

/** The table as GitHub-flavoured markdown, columns padded so it reads in a terminal too. */
export function renderTable(table: MarkdownTable): string {
  const { headers, rows } = table;
  for (const row of rows) {
    if (row.length !== headers.length) {
      throw new Error(
        `Row [${row.join(', ')}] has ${row.length} cells; expected ${headers.length}`,
      );
    }
  }
  const widths = headers.map((header, column) =>
    Math.max(3, header.length, ...rows.map((row) => (row[column] as string).length)),
  );
  const rightAligned = headers.map(
    (_, column) => rows.length > 0 && rows.every((row) => NUMERIC_CELL.test(row[column] as string)),
  );
  const line = (cells: string[]) =>
    `| ${cells
      .map((cell, column) =>
        rightAligned[column]
          ? cell.padStart(widths[column] as number)
          : cell.padEnd(widths[column] as number),
      )
      .join(' | ')} |`;
  const rule = `| ${widths
    .map((width, column) =>
      rightAligned[column] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width),
    )
    .join(' | ')} |`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Milliseconds with two decimals: `3.14 ms`. */
export function formatMs(milliseconds: number): string {
  return `${milliseconds.toFixed(2)} ms`;
}

/** Microseconds from milliseconds, with one decimal: `2.5 µs`. */
export function formatMicroseconds(milliseconds: number): string {
  return `${(milliseconds * 1000).toFixed(1)} µs`;
}

/** A ratio with two decimals: `1.07×`. */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

/** A count with thousands separators: `10,000`. */
export function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}
