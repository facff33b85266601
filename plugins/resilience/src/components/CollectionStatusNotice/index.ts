export { CollectionStatusNotice } from './CollectionStatusNotice';
