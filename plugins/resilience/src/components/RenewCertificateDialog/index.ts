export { RenewCertificateDialog } from './RenewCertificateDialog';
