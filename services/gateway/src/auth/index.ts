export {
  CLOCK_TOLERANCE_SECONDS,
  DEFAULT_ALGORITHMS,
  DEFAULT_AUDIENCE,
  DEFAULT_ROLES_CLAIM,
  DEV_ISSUER,
  SIGNATURE_ALGORITHMS,
  loadAuthConfig,
} from '@airlock/config';
export type { AuthConfig, DevAuthConfig, ServerAuthConfig, SignatureAlgorithm } from '@airlock/config';
// Re-exported for embedders and tests that mint development tokens next to a gateway.
export { ensureDevKeys, mintDevToken, parseTtl } from '@airlock/dev-keys';
export type { DevKeys, MintDevTokenOptions } from '@airlock/dev-keys';
export { INVALID_TOKEN_MESSAGE, createTokenVerifier } from './token-verifier.ts';
export type { Principal, TokenVerifier } from './token-verifier.ts';
export { MALFORMED_HEADER_MESSAGE, MISSING_TOKEN_MESSAGE, authenticate, principalOf } from './authenticate.ts';
