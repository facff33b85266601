export { CertificateTable } from './CertificateTable';
