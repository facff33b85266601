export { SastScanFreshness } from './SastScanFreshness';
