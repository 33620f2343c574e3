// A fresh self-signed certificate for the Cast TLS port. Senders we serve do not check it
// (castv2-client sets rejectUnauthorized: false, pychromecast uses a bare SSLContext), and node:crypto
// cannot write X.509 on Node 20, hence `selfsigned` (WebCrypto underneath). EC P-256: ~10 ms.
import { generate } from 'selfsigned';

export async function selfSignedCert(commonName: string): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: commonName }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' });
  return { key: pems.private, cert: pems.cert };
}
