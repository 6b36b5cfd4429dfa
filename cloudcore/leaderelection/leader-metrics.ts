import { Gauge, type Registry } from 'prom-client';

/**
 * client-go's leader-election metric, named and labelled as kube-controller-manager exports it:
 * 1 while this process leads the election `name`, 0 otherwise (docs/leader-election.md § Observing).
 */
export interface LeaderMetrics {
  setLeading(leading: boolean): void;
}

export function createLeaderMetrics(name: string, registry: Registry | undefined): LeaderMetrics {
  const existing = registry?.getSingleMetric('leader_election_master_status');
  const gauge =
    existing instanceof Gauge
      ? (existing as Gauge<'name'>)
      : new Gauge({
          name: 'leader_election_master_status',
          help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. \'name\' is the string used to identify the lease.',
          labelNames: ['name'],
          registers: registry === undefined ? [] : [registry],
        });
  gauge.set({ name }, 0);
  return { setLeading: (leading) => gauge.set({ name }, leading ? 1 : 0) };
}
