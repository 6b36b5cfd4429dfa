import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readCertificateRequest } from './csr-request.js';
import { createKeyAndCsr } from './node-csr.js';

function opensslCsr(keyArgs: string[], subject: string): string {
  return execFileSync('openssl', ['req', '-new', ...keyArgs, '-nodes', '-keyout', '/dev/null', '-subj', subject], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
}

describe('readCertificateRequest', () => {
  it('reads CN and O of a P-256 request whose signature verifies', async () => {
    const { csrPem } = await createKeyAndCsr('dev', ['devs', 'qa']);
    const read = readCertificateRequest(csrPem);
    expect(read.ok && { cn: read.value.commonNames, o: read.value.organizations }).toEqual({ cn: ['dev'], o: ['devs', 'qa'] });
  });

  it('verifies RSA and Ed25519 requests made by openssl', () => {
    expect(readCertificateRequest(opensslCsr(['-newkey', 'rsa:2048'], '/O=x/CN=rsa')).ok).toBe(true);
    expect(readCertificateRequest(opensslCsr(['-newkey', 'ed25519'], '/CN=ed')).ok).toBe(true);
  });

  it('refuses a request whose signature does not verify', async () => {
    const { csrPem } = await createKeyAndCsr('dev');
    const forged = Buffer.from(csrPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    // Flip one byte inside the subject's CN ("dev" → "dew"): the signature no longer covers it.
    const at = forged.indexOf(Buffer.from('dev'));
    forged[at + 2] = 'w'.charCodeAt(0);
    const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${forged.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    const read = readCertificateRequest(pem);
    expect(read.ok ? 'ok' : read.message).toMatch(/signature is invalid/);
  });

  it('refuses other PEM blocks and garbage', () => {
    expect(readCertificateRequest('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toMatchObject({ ok: false, message: 'PEM block type must be CERTIFICATE REQUEST' });
    expect(readCertificateRequest('hello')).toMatchObject({ ok: false, message: 'PEM block type must be CERTIFICATE REQUEST' });
    expect(readCertificateRequest('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n')).toMatchObject({ ok: false });
  });
});
