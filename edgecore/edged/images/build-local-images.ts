import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';
import { findStaticBusybox } from './busybox-binary.js';
import { buildOciImage } from './build-oci-image.js';
import { BUSYBOX_RECIPE, PAUSE_RECIPE, type ImageRecipe } from './image-recipes.js';

/** Bump when the build steps change, so cached archives from older steps are not reused. */
const BUILD_FORMAT = 1;

/** The cache key: the recipe, the build steps and the busybox binary it copies. */
function archiveFileName(recipe: ImageRecipe, busybox: string): string {
  const stat = statSync(busybox);
  const key = JSON.stringify({ recipe, BUILD_FORMAT, busybox, size: stat.size, mtime: stat.mtimeMs });
  return `${recipe.archiveName}-${createHash('sha256').update(key).digest('hex').slice(0, 12)}.tar`;
}

async function cachedArchive(recipe: ImageRecipe, busybox: string, cacheDir: string): Promise<Result<string>> {
  const archive = join(cacheDir, archiveFileName(recipe, busybox));
  if (existsSync(archive)) return ok(archive);
  // Build in a private folder and rename into place: several test workers may build at once,
  // and a reader must never see a half-written archive.
  const workDir = mkdtempSync(join(cacheDir, `.build-${recipe.archiveName}-`));
  try {
    const partial = join(workDir, 'image.tar');
    const built = await buildOciImage(recipe, busybox, join(workDir, 'work'), partial);
    if (!built.ok) return built;
    renameSync(partial, archive);
    return ok(archive);
  } catch (err) {
    return fail('Internal', `building ${recipe.ref}: ${errorMessage(err)}`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Builds (or reuses from `cacheDir`) the OCI archives of the local busybox and pause images.
 * Returns the archive paths; import them with importImageArchive.
 */
export async function buildLocalImages(cacheDir: string): Promise<Result<{ busybox: string; pause: string }>> {
  const busybox = await findStaticBusybox();
  if (!busybox.ok) return busybox;
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    return fail('Internal', `creating ${cacheDir}: ${errorMessage(err)}`);
  }
  const busyboxArchive = await cachedArchive(BUSYBOX_RECIPE, busybox.value, cacheDir);
  if (!busyboxArchive.ok) return busyboxArchive;
  const pauseArchive = await cachedArchive(PAUSE_RECIPE, busybox.value, cacheDir);
  if (!pauseArchive.ok) return pauseArchive;
  return ok({ busybox: busyboxArchive.value, pause: pauseArchive.value });
}
