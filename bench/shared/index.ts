export { readClusterCa } from './cluster-ca.js';
export { CpuLedger, foreignShare, idleForeignShare, procStatCpuMs, type CpuLedgerOptions } from './cpu-ledger.js';
export { openLineStream, readBody, streamLines, type WatchHandle, type WatchLineHandler } from './line-stream.js';
export { machineFacts, type MachineFacts } from './machine-facts.js';
export { reserveFirstFree, type RangeLease } from './range-lock.js';
export { formatTable, int, mib, ms, pct, rate, ratio, type ReportRow } from './report-format.js';
export { candidateOctets, hostAddresses, reserveSubnet24, usedThirdOctets, type SubnetLease } from './subnet-reservation.js';
