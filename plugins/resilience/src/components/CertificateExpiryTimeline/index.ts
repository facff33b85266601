export { CertificateExpiryTimeline } from './CertificateExpiryTimeline';
