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

export type CpuProfile = z.infer<typeof profileSchema>;

export interface SelfTimeEntry {
  label: string;
  selfMs: number;
  /** Share of the busy time (everything but idle). */
  share: number;
}

export interface ProfileSummary {
  title: string;
  totalMs: number;
  idleMs: number;
  functions: SelfTimeEntry[];
  files: SelfTimeEntry[];
}

/** A time window on the profile's clock (µs); samples outside every window are left out. */
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

/** Reads the newest .cpuprofile in a folder. */
export async function readNewestCpuProfile(dir: string): Promise<Result<{ file: string; profile: CpuProfile }>> {
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
  return ok({ file, profile: parsed.data });
}

/** Top functions and files by self time, over the whole profile or only inside `windows`. */
export function summarizeCpuProfile(profile: CpuProfile, opts: { title: string; top: number; windows?: readonly ProfileWindow[] }): ProfileSummary {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let idleUs = 0;
  let totalUs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    // timeDeltas[i + 1] is how long sample i stayed on the stack until the next one was taken.
    const us = profile.timeDeltas[i + 1] ?? 0;
    const frame = frames.get(profile.samples[i] as number);
    if (frame === undefined) continue;
    if (opts.windows !== undefined && !opts.windows.some((w) => at >= w.fromUs && at <= w.toUs)) continue;
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
      .slice(0, opts.top)
      .map(([label, us]) => ({ label, selfMs: us / 1000, share: us / busyUs }));
  return { title: opts.title, totalMs: totalUs / 1000, idleMs: idleUs / 1000, functions: rank(byFunction), files: rank(byFile) };
}

/** file:///work/main/dist/cloudcore/x.js → dist/cloudcore/x.js; node:internal stays as is. */
function shortUrl(url: string): string {
  const cut = url.indexOf('/dist/');
  if (cut >= 0) return url.slice(cut + 1);
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + 1);
  return url.replace(/^file:\/\//, '');
}

export function formatProfileSummary(s: ProfileSummary, filesShown = 12): string[] {
  const busy = s.totalMs - s.idleMs;
  const lines = [s.title, `  sampled ${s.totalMs.toFixed(0)} ms: busy ${busy.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms; top self time by function:`];
  for (const e of s.functions) lines.push(`  ${e.selfMs.toFixed(1).padStart(9)} ms ${(e.share * 100).toFixed(1).padStart(5)}%  ${e.label}`);
  if (filesShown > 0) {
    lines.push('  by file:');
    for (const e of s.files.slice(0, filesShown)) lines.push(`  ${e.selfMs.toFixed(1).padStart(9)} ms ${(e.share * 100).toFixed(1).padStart(5)}%  ${e.label}`);
  }
  return lines;
}
