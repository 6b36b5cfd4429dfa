/**
 * Prints a config as commented YAML (docs/configuration.md § Printing the default config): every
 * field with its value and, above it, its description; an optional field without a value is shown
 * commented out with its example. Loading the printed text back gives the same config.
 */
import { Document, isMap, Scalar, YAMLMap, type Node } from 'yaml';
import type { z } from 'zod';
import { fieldInfo, objectFields } from './schema-walk.js';

const WRAP_AT = 96;

function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > WRAP_AT) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** yaml writes each line of a comment after `#`; the leading space makes `# text`. */
function asComment(lines: string[]): string | undefined {
  return lines.length === 0 ? undefined : lines.map((l) => ` ${l}`).join('\n');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function renderMap(doc: Document, schema: z.ZodType, value: Record<string, unknown>): YAMLMap {
  const map = new YAMLMap();
  let pending: string[] = [];
  for (const [key, field] of objectFields(schema) ?? []) {
    const info = fieldInfo(field);
    const described = info.description === undefined ? [] : wrap(info.description);
    const fieldValue = value[key];
    if (fieldValue === undefined) {
      // Absent optional field: described, then shown commented out with its example.
      const example = doc.createNode({ [key]: info.example ?? '' });
      pending.push(...described, ...new Document(example).toString({ lineWidth: 0 }).trimEnd().split('\n'));
      continue;
    }
    const node: Node = objectFields(info.inner) !== undefined && isRecord(fieldValue) ? renderMap(doc, info.inner, fieldValue) : doc.createNode(fieldValue);
    const keyNode = new Scalar(key);
    const comment = asComment([...pending, ...described]);
    if (comment !== undefined) keyNode.commentBefore = comment;
    pending = [];
    // A section starts after a blank line, so the printed file reads as one block per module.
    if (isMap(node)) keyNode.spaceBefore = true;
    map.add(doc.createPair(keyNode, node));
  }
  const trailing = asComment(pending);
  if (trailing !== undefined) map.comment = trailing;
  // An empty section prints as `{}` on its key's line, its commented-out fields below.
  if (map.items.length === 0) map.flow = true;
  return map;
}

export function renderConfigYaml(schema: z.ZodType, value: Record<string, unknown>, header: string[]): string {
  const doc = new Document();
  doc.contents = renderMap(doc, schema, value);
  const comment = asComment(header);
  if (comment !== undefined) doc.commentBefore = comment;
  return doc.toString({ lineWidth: 0 });
}
