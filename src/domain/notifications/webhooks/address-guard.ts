// The SSRF guard of outgoing webhook calls: which addresses a site's webhooks may not reach unless
// the operator allows it for the site (SiteNotificationSettings.allowPrivateWebhooks), and a DNS
// lookup for the HTTP client that drops them. The client connects to the address this lookup
// returned and to nothing else, so a name cannot resolve to a public address when checked and to
// a private one when connected (DNS rebinding). Private networks (10/8, 172.16/12, 192.168/16,
// fc00::/7) stay allowed: a receiver inside the operator's network is a normal set-up; what is
// refused is this machine itself and the cloud metadata endpoints.
import { isIP } from "node:net";
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from "node:dns";
import ipaddr from "ipaddr.js";

/** ipaddr.js ranges never called: this machine, link-local (169.254.169.254 is cloud metadata), no host, groups. */
const REFUSED_RANGES: ReadonlySet<string> = new Set(["unspecified", "loopback", "linkLocal", "multicast", "broadcast", "reserved"]);
/** Cloud metadata endpoints outside those ranges (AWS over IPv6, Alibaba Cloud). */
const METADATA_ADDRESSES: ReadonlySet<string> = new Set(["fd00:ec2::254", "100.100.100.200"]);

/**
 * Why a webhook may not call this IP address without the site's permission (e.g. "loopback"), or
 * null when it may. IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it is.
 */
export function refusedAddressReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return "not an IP address";
  let ip = ipaddr.parse(address);
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  if (METADATA_ADDRESSES.has(ip.toNormalizedString()) || METADATA_ADDRESSES.has(ip.toString())) return "cloud metadata";
  const range = ip.range();
  return REFUSED_RANGES.has(range) ? range.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`) : null;
}

/** A URL's host as an IP address when it is one ("[::1]" -> "::1"), else null (a name). */
export function literalAddressOf(hostname: string): string | null {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : null;
}

/** Names that always mean this machine (RFC 6761), refused on save without resolving them. */
export const isLocalhostName = (hostname: string): boolean => /(^|\.)localhost\.?$/i.test(hostname);

/** Thrown (as a connection error) when every address of a host is refused: the message says which and why. */
export class RefusedAddressError extends Error {
  readonly code = "EWEBHOOKADDRESS";
  constructor(message: string) {
    super(message);
    this.name = "RefusedAddressError";
  }
}

/** The shape of dns.lookup that net.connect calls (with all: true when it tries several addresses). */
export type LookupFunction = (hostname: string, options: LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

/**
 * A lookup for net.connect (undici's `connect.lookup`) that resolves with `resolve` and, when
 * `guard` is on, keeps only addresses a webhook may call; when none is left it fails with
 * RefusedAddressError. (Without the guard it only adapts `resolve` to both forms net.connect asks for.)
 */
export function connectLookup(resolve: LookupFunction, guard: boolean) {
  return (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: (...args: never[]) => void): void => {
    const answer = callback as unknown as (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return answer(error, []);
      const allowed = guard ? addresses.filter((a) => refusedAddressReason(a.address) === null) : addresses;
      if (allowed.length === 0) {
        const refused = addresses.map((a) => `${a.address} (${refusedAddressReason(a.address)})`).join(", ");
        return answer(new RefusedAddressError(`${hostname} resolves only to addresses webhooks may not call: ${refused || "none"}`), []);
      }
      if (options.all) return answer(null, allowed);
      return answer(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}
