import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';
import { splitReference } from './image-recipes.js';
import { CONTAINERD_IMAGE_NAME, dockerManifestSchema, OCI_REF_NAME, ociIndexSchema } from './oci-index-file.js';
import { runCommand } from '../run-command.js';

/** CRI images live in containerd's k8s.io namespace. */
const CRI_NAMESPACE = 'k8s.io';

/** One `ctr images import` run: with no base name, or with --base-name for OCI ref names. */
interface ImportPass {
  baseName: string | undefined;
}

async function readArchiveMember(archive: string, member: string): Promise<string | undefined> {
  for (const name of [member, `./${member}`]) {
    const read = await runCommand('tar', ['-xOf', archive, name], { timeoutMs: 60_000 });
    if (read.ok) return read.value.stdout;
  }
  return undefined;
}

/**
 * Decides how to run `ctr images import` so that every image keeps its full name. containerd's
 * importer uses `io.containerd.image.name` as is; a full reference in the OCI ref name is kept
 * only when --base-name is its repository; a bare tag would become `import-<date>:<tag>`, which
 * no pod can name, so such an archive is refused. Docker archives carry full RepoTags.
 */
async function planImport(archive: string): Promise<Result<ImportPass[]>> {
  const indexText = await readArchiveMember(archive, 'index.json');
  if (indexText !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(indexText);
    } catch (err) {
      return fail('Invalid', `${archive}: index.json is not JSON: ${errorMessage(err)}`);
    }
    const index = ociIndexSchema.safeParse(parsed);
    if (!index.success) return fail('Invalid', `${archive}: bad index.json: ${index.error.message}`);
    const passes = new Map<string, ImportPass>();
    const unnamed: string[] = [];
    for (const manifest of index.data.manifests) {
      const annotations = manifest.annotations ?? {};
      const refName = annotations[OCI_REF_NAME];
      if (annotations[CONTAINERD_IMAGE_NAME] !== undefined) passes.set('', { baseName: undefined });
      else if (refName !== undefined && splitReference(refName) !== undefined && refName.includes('/')) {
        const repository = splitReference(refName)?.repository ?? refName;
        passes.set(repository, { baseName: repository });
      } else unnamed.push(refName ?? manifest.digest);
    }
    if (passes.size === 0) {
      return fail('Invalid', `${archive}: no image in it has a full name (found only ${unnamed.join(', ') || 'nothing'}); tag it as registry/name:tag`);
    }
    return ok([...passes.values()]);
  }
  const manifestText = await readArchiveMember(archive, 'manifest.json');
  if (manifestText === undefined) return fail('Invalid', `${archive} is neither an OCI archive (index.json) nor a docker archive (manifest.json)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifestText);
  } catch (err) {
    return fail('Invalid', `${archive}: manifest.json is not JSON: ${errorMessage(err)}`);
  }
  const manifest = dockerManifestSchema.safeParse(parsed);
  if (!manifest.success) return fail('Invalid', `${archive}: bad manifest.json: ${manifest.error.message}`);
  if (!manifest.data.some((entry) => (entry.RepoTags ?? []).length > 0)) return fail('Invalid', `${archive}: no image in it is tagged`);
  return ok([{ baseName: undefined }]);
}

/** ctr prints `unpacking NAME (sha256:…)...done` for each image it stored. */
function importedNames(output: string): string[] {
  const names: string[] = [];
  for (const match of output.matchAll(/unpacking (\S+) \(sha256:[0-9a-f]+\)/g)) {
    if (match[1] !== undefined) names.push(match[1]);
  }
  return names;
}

/**
 * Imports an OCI or docker image archive into the containerd at `socket` (namespace k8s.io,
 * where the CRI plugin looks) and returns the names it stored.
 */
export async function importImageArchive(socket: string, archive: string): Promise<Result<string[]>> {
  const plan = await planImport(archive);
  if (!plan.ok) return plan;
  const names: string[] = [];
  for (const pass of plan.value) {
    const args = ['-a', socket, '-n', CRI_NAMESPACE, 'images', 'import'];
    if (pass.baseName !== undefined) args.push('--base-name', pass.baseName);
    args.push(archive);
    const run = await runCommand('ctr', args, { timeoutMs: 120_000 });
    if (!run.ok) return run;
    names.push(...importedNames(run.value.stdout + run.value.stderr));
  }
  if (names.length === 0) return fail('Invalid', `${archive}: containerd imported no named image from it`);
  return ok([...new Set(names)]);
}
