export { controlFrame, createFrameReader, dataFrame, FLAG_FIN, FRAME, headerBlock, readFrames, readSynStream, rstStreamFrame, SPDY_VERSION, synReplyFrame, synStreamFrame } from './frames.js';
export type { SpdyFrame } from './frames.js';
export { createHeaderBlockReader, HEADER_BYTES_LIMIT, parsePairs } from './header-reader.js';
export type { HeaderBlockReader } from './header-reader.js';
export { SPDY3_HEADER_DICTIONARY } from './header-dictionary.js';
