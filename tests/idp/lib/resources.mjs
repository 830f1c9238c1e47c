// The two APIs (RFC 8707 resource indicators) and how their access tokens look.
import { errors } from 'oidc-provider';

/** Resource URI -> the short scope names it accepts. */
export const RESOURCES = {
  'api://lanyard-customer': ['customer.read'],
  'api://lanyard-vendor': ['vendor.read'],
};

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
