/**
 * One line of CSV (RFC 4180 quoting: "a,b" is one field, "" inside quotes is a quote). Records
 * spanning lines are not supported; the token file never needs them.
 */
import { fail, ok, type Result } from '../shared/errors.js';

export function parseCsvRecord(line: string): Result<string[]> {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      const quoted = readQuoted(line, i + 1);
      if (!quoted.ok) return quoted;
      fields.push(quoted.value.text);
      i = quoted.value.next;
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== ',') return fail('Invalid', `unexpected "${line[i]}" after a closing quote at column ${i + 1}`);
    } else {
      const end = line.indexOf(',', i);
      const text = end === -1 ? line.slice(i) : line.slice(i, end);
      if (text.includes('"')) return fail('Invalid', 'a quote may only start a field (quote the whole field)');
      fields.push(text.trim());
      i = end === -1 ? line.length : end;
    }
    if (i >= line.length) return ok(fields);
    i++; // the comma
  }
}

function readQuoted(line: string, start: number): Result<{ text: string; next: number }> {
  let text = '';
  let i = start;
  while (i < line.length) {
    const ch = line[i];
    if (ch === '"') {
      if (line[i + 1] === '"') {
        text += '"';
        i += 2;
        continue;
      }
      return ok({ text, next: i + 1 });
    }
    text += ch;
    i++;
  }
  return fail('Invalid', 'unterminated quoted field');
}
