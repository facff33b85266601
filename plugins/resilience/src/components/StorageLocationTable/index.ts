export { StorageLocationTable } from './StorageLocationTable';
