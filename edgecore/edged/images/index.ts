export { BUSYBOX_IMAGE, PAUSE_IMAGE } from './image-recipes.js';
export { buildLocalImages } from './build-local-images.js';
export { importImageArchive } from './import-image-archive.js';
