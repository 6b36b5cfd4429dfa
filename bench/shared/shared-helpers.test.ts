import { describe, expect, it } from 'vitest';
import { foreignShare, procStatCpuMs } from './cpu-ledger.js';
import { formatTable, int, mib, ms, pct, rate, ratio } from './report-format.js';
import { candidateOctets, usedThirdOctets } from './subnet-reservation.js';

describe('report format', () => {
  it('aligns the table under a header and a rule, trimming trailing blanks', () => {
    const rows = [
      { figure: 'create latency', measured: 'p99 3.00 ms', goal: '<= 20 ms', status: 'met' },
      { figure: '  CPU', measured: '0.50 cores', goal: '', status: '' },
    ];
    expect(formatTable(rows, 'met?')).toEqual([
      'figure          measured     goal      met?',
      '-------------------------------------------',
      'create latency  p99 3.00 ms  <= 20 ms  met',
      '  CPU           0.50 cores',
    ]);
    expect(formatTable([])[0]).toBe('figure  measured  goal  status');
  });

  it('formats numbers alike in every report', () => {
    expect([ms(3.14159), ms(42), pct(0.1234), mib(3 * 1024 * 1024), int(12345.6), rate(1500), ratio(1.254)]).toEqual(['3.14 ms', '42.0 ms', '12.3%', '3.0 MiB', '12,346', '1,500/s', '1.25x']);
  });
});

describe('CPU ledger arithmetic', () => {
  it('counts as foreign what the machine did beyond this process and the run, over its capacity', () => {
    expect(foreignShare({ machineBusyMs: 1500, ownMs: 200, childrenMs: 300, wallMs: 1000, cpus: 2 })).toBe(0.5);
    expect(foreignShare({ machineBusyMs: 100, ownMs: 200, childrenMs: 300, wallMs: 1000, cpus: 2 })).toBe(0);
    expect(foreignShare({ machineBusyMs: 100, ownMs: 0, childrenMs: 0, wallMs: 0, cpus: 2 })).toBe(0);
  });

  it('reads utime+stime+cutime+cstime from /proc/<pid>/stat, whatever the command name holds', () => {
    const stat = '1234 (containerd-shim (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 150 50 7 3 20 0 10 0 100 0 0';
    expect(procStatCpuMs(stat)).toBe(2100);
    expect(procStatCpuMs('garbage')).toBeUndefined();
  });
});

describe('subnet candidates', () => {
  it('skips subnets the machine already uses and spreads runs by pid', () => {
    expect(usedThirdOctets('10.202', ['10.202.7.1', '10.2020.1.1', '127.0.0.1', '10.202.12.254'])).toEqual(new Set([7, 12]));
    const order = candidateOctets(3);
    expect(order).toHaveLength(250);
    expect(new Set(order).size).toBe(250);
    expect(order[0]).toBe(22);
    expect(Math.min(...order)).toBe(1);
    expect(Math.max(...order)).toBe(250);
  });
});
