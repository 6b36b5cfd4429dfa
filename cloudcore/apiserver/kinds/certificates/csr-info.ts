import { defineResourceInfo } from '../../../../shared/apimachinery/resources/define-info.js';
import { ageSince, humanDuration } from '../../../../shared/apimachinery/resources/human-duration.js';
import { ageColumn, column, nameColumn } from '../../../../shared/apimachinery/resources/table-columns.js';
import type { ResourceInfo } from '../../../../shared/apimachinery/resources/types.js';
import { str } from '../../../../shared/k8s/object-access.js';
import { conditionSummary, csrSpec, expirationSecondsOf } from './csr-fields.js';

/**
 * certificates.k8s.io/v1 certificatesigningrequests (short name csr, cluster-scoped), with the
 * columns kubectl prints for them: NAME AGE SIGNERNAME REQUESTOR REQUESTEDDURATION CONDITION.
 * Only the cloud serves them (edges never cache CSRs).
 */
export function certificateSigningRequestsInfo(): ResourceInfo {
  return defineResourceInfo({
    group: 'certificates.k8s.io',
    version: 'v1',
    resource: 'certificatesigningrequests',
    kind: 'CertificateSigningRequest',
    namespaced: false,
    shortNames: ['csr'],
    status: true,
    // Kubernetes' CSR field selector: `kubectl get csr --field-selector spec.signerName=…`.
    selectableFields: (csr) => ({ 'spec.signerName': str(csrSpec(csr).signerName) }),
    table: {
      columns: [
        nameColumn(),
        ageColumn(),
        column('SignerName', 'Indicates the requested signer, and is a qualified name.'),
        column('Requestor', 'The name of the user that created the CertificateSigningRequest.'),
        column('RequestedDuration', 'The requested duration of validity of the issued certificate.'),
        column('Condition', 'The conditions of the request: Approved, Denied or Pending, then Failed and Issued.'),
      ],
      cells: (csr, now) => {
        const spec = csrSpec(csr);
        const seconds = expirationSecondsOf(csr);
        return [
          csr.metadata.name ?? '',
          ageSince(csr.metadata.creationTimestamp, now),
          str(spec.signerName) === '' ? '<none>' : str(spec.signerName),
          str(spec.username),
          seconds === undefined ? '<none>' : humanDuration(seconds * 1000),
          conditionSummary(csr),
        ];
      },
    },
  });
}
