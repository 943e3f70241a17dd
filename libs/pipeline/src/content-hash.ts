export { canonicalJson, contentHash } from '@platform/domain';
