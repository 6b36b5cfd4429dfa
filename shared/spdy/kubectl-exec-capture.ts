/**
 * Recorded client bytes the SPDY tests replay (header-reader, the API's exec relay): what
 * kubectl 1.27.16 sent for `exec -i p -- cat` with "hi\n" piped in, once each SYN_STREAM was
 * replied to: four SYN_STREAMs (error, stdin, stdout, stderr) whose header blocks share one zlib
 * stream compressed with the dictionary, then stdin's DATA and its FIN.
 */
export const KUBECTL_127_EXEC_BYTES = Buffer.from(
  '80030001000000290000000100000000000078f9e3c6a7c26260606004a7b392a2d4c45c6851c29a0a0a6800000000ffff' +
    '800300010000001700000003000000000000c22e555c92929907000000ffff' +
    '800300010000001900000005000000000000c22ac5565c92925f5a02000000ffff' +
    '800300010000001500000007000000000000c229975a5404000000ffff' +
    '000000030000000368690a0000000301000000',
  'hex',
);
