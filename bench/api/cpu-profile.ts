import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';

/** The parts of V8's .cpuprofile JSON (Chrome DevTools format) that self time needs. */
const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
  startTime: z.number(),
  endTime: z.number(),
});

export interface SelfTimeEntry {
  label: string;
  selfMs: number;
  /** Share of the busy time (everything but idle). */
  share: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  idleMs: number;
  functions: SelfTimeEntry[];
  files: SelfTimeEntry[];
}

/** Summarizes the newest .cpuprofile in a folder: top functions and top files by self time. */
export async function summarizeCpuProfileDir(dir: string, top = 25): Promise<Result<ProfileSummary>> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.cpuprofile')).sort();
  } catch (err) {
    return fail('NotFound', `no profile folder ${dir}: ${errorMessage(err)}`);
  }
  const newest = names[names.length - 1];
  if (newest === undefined) return fail('NotFound', `no .cpuprofile in ${dir} (did the cloud exit cleanly?)`);
  const file = join(dir, newest);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    return fail('Invalid', `${file}: ${errorMessage(err)}`);
  }
  const parsed = profileSchema.safeParse(json);
  if (!parsed.success) return fail('Invalid', `${file}: ${parsed.error.message}`);
  return ok({ file, ...selfTimes(parsed.data, top) });
}

function selfTimes(profile: z.infer<typeof profileSchema>, top: number): Omit<ProfileSummary, 'file'> {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let idleUs = 0;
  let totalUs = 0;
  // timeDeltas[i + 1] is how long the sample i stayed on the stack until the next one was taken.
  for (let i = 0; i < profile.samples.length; i++) {
    const frame = frames.get(profile.samples[i] as number);
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (frame === undefined) continue;
    totalUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const where = shortUrl(frame.url);
    const label = `${frame.functionName || '(anonymous)'}${where === '' ? '' : ` ${where}:${frame.lineNumber + 1}`}`;
    byFunction.set(label, (byFunction.get(label) ?? 0) + us);
    const fileLabel = where === '' ? frame.functionName : where;
    byFile.set(fileLabel, (byFile.get(fileLabel) ?? 0) + us);
  }
  const busyUs = Math.max(1, totalUs - idleUs);
  const rank = (m: Map<string, number>): SelfTimeEntry[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([label, us]) => ({ label, selfMs: us / 1000, share: us / busyUs }));
  return { totalMs: totalUs / 1000, idleMs: idleUs / 1000, functions: rank(byFunction), files: rank(byFile) };
}

/** file:///work/main/dist/cloudcore/x.js → dist/cloudcore/x.js; node:internal stays as is. */
function shortUrl(url: string): string {
  const cut = url.indexOf('/dist/');
  if (cut >= 0) return url.slice(cut + 1);
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + 1);
  return url.replace(/^file:\/\//, '');
}

export function formatProfileSummary(s: ProfileSummary): string[] {
  const busy = s.totalMs - s.idleMs;
  const lines = [`cloudcore CPU profile ${s.file}`, `  sampled ${s.totalMs.toFixed(0)} ms, busy ${busy.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms`, '', '  top self time by function:'];
  for (const e of s.functions) lines.push(`  ${e.selfMs.toFixed(1).padStart(9)} ms ${(e.share * 100).toFixed(1).padStart(5)}%  ${e.label}`);
  lines.push('', '  top self time by file:');
  for (const e of s.files.slice(0, 12)) lines.push(`  ${e.selfMs.toFixed(1).padStart(9)} ms ${(e.share * 100).toFixed(1).padStart(5)}%  ${e.label}`);
  return lines;
}
