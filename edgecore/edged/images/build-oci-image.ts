import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';
import { populateBusyboxRootfs } from './busybox-rootfs.js';
import { splitReference, type ImageRecipe } from './image-recipes.js';
import { CONTAINERD_IMAGE_NAME, ociIndexSchema } from './oci-index-file.js';
import { runCommand } from '../run-command.js';

/** Runs the steps one after another and stops at the first failure. */
async function runSteps(steps: readonly (() => Promise<Result<unknown>>)[]): Promise<Result<void>> {
  for (const step of steps) {
    const result = await step();
    if (!result.ok) return result;
  }
  return ok(undefined);
}

function configArgs(recipe: ImageRecipe): string[] {
  const args: string[] = [];
  // umoci's config flags append; clear first so the values are exactly the recipe's.
  args.push('--clear=config.entrypoint', '--clear=config.cmd', '--clear=config.env');
  for (const part of recipe.entrypoint) args.push(`--config.entrypoint=${part}`);
  for (const part of recipe.cmd) args.push(`--config.cmd=${part}`);
  for (const env of recipe.env) args.push(`--config.env=${env}`);
  args.push('--config.workingdir=/', '--history.created_by=outpost local image build');
  return args;
}

/**
 * Gives every manifest of the layout's index.json containerd's full image name: the OCI ref
 * name umoci writes is just the tag, and `ctr images import` would otherwise name the image
 * `import-<date>:<tag>` or need --base-name.
 */
function nameIndexEntries(layout: string, ref: string): Result<void> {
  const file = join(layout, 'index.json');
  try {
    const index = ociIndexSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!index.success) return fail('Invalid', `${file}: ${index.error.message}`);
    for (const manifest of index.data.manifests) {
      manifest.annotations = { ...manifest.annotations, [CONTAINERD_IMAGE_NAME]: ref };
    }
    writeFileSync(file, JSON.stringify(index.data));
    return ok(undefined);
  } catch (err) {
    return fail('Internal', `naming ${file}: ${errorMessage(err)}`);
  }
}

/**
 * Builds one image with umoci (init, new, unpack, populate, repack, config, gc) in `workDir` and
 * packs the OCI layout into a tar archive at `archive` (the OCI archive format `ctr images
 * import` reads: oci-layout, index.json and blobs/ at the top).
 */
export async function buildOciImage(recipe: ImageRecipe, busybox: string, workDir: string, archive: string): Promise<Result<void>> {
  const parts = splitReference(recipe.ref);
  if (parts === undefined) return fail('Invalid', `image reference ${recipe.ref} has no tag`);
  const layout = join(workDir, 'layout');
  const bundle = join(workDir, 'bundle');
  const image = `${layout}:${parts.tag}`;
  mkdirSync(workDir, { recursive: true });
  return runSteps([
    () => runCommand('umoci', ['init', '--layout', layout]),
    () => runCommand('umoci', ['new', '--image', image]),
    () => runCommand('umoci', ['unpack', '--image', image, bundle]),
    () => populateBusyboxRootfs(join(bundle, 'rootfs'), busybox),
    () => runCommand('umoci', ['repack', '--image', image, bundle]),
    () => runCommand('umoci', ['config', ...configArgs(recipe), '--image', image]),
    () => runCommand('umoci', ['gc', '--layout', layout]),
    async () => nameIndexEntries(layout, recipe.ref),
    () => runCommand('tar', ['-cf', archive, '-C', layout, 'oci-layout', 'index.json', 'blobs']),
  ]);
}
