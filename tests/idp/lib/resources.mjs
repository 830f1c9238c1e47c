// The two APIs (RFC 8707 resource indicators) and how their access tokens look.
import { errors } from 'oidc-provider';

/** Resource URI -> the short scope names it accepts. */
export const RESOURCES = {
  // `*.reports` is not asked for at sign-in: the APIs' /reports needs it (incremental consent).
  'api://lanyard-customer': ['customer.read', 'customer.reports'],
  'api://lanyard-vendor': ['vendor.read', 'vendor.reports'],
};

/** Scopes only ever consented incrementally: `<resource>/.default` does not include them. */
export const INCREMENTAL_SCOPES = new Set(['customer.reports', 'vendor.reports']);

/**
 * Builds `features.resourceIndicators.getResourceServerInfo`: a JWT (RS256) access token whose
 * `aud` is the resource URI and whose `scope` holds only that API's short scope names.
 * `rejectResource(ctx)` returning true makes any resource indicator `invalid_target`.
 */
export function resourceServerInfo({ accessTokenTTL, rejectResource }) {
  return async function getResourceServerInfo(ctx, resource) {
    if (rejectResource(ctx)) {
      throw new errors.InvalidTarget('this client must not send the resource parameter');
    }
    const scopes = Object.hasOwn(RESOURCES, resource) ? RESOURCES[resource] : undefined;
    if (!scopes) throw new errors.InvalidTarget();
    return {
      scope: scopes.join(' '),
      audience: resource,
      accessTokenTTL,
      accessTokenFormat: 'jwt',
      jwt: { sign: { alg: 'RS256' } },
    };
  };
}
