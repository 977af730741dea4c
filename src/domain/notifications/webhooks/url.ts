// A webhook endpoint's URL, checked when it is saved: http(s) only, no user name or password in
// it (they would be sent to every hop and logged by proxies; put a token in the path or query
// instead), and, unless the site allows private webhooks, no literal address of this machine
// (127.0.0.1, [::1], 169.254.169.254, localhost). A host name is checked again on every call,
// against the addresses it resolves to then (address-guard.ts).
import { z } from "zod";
import { isLocalhostName, literalAddressOf, refusedAddressReason } from "./address-guard.js";

export const MAX_URL_LENGTH = 2000;

/** What is wrong with `value` as an endpoint URL whatever the site allows, or null. */
function urlProblem(value: string): string | null {
  if (/[\s\p{Cc}]/u.test(value)) return "must not contain spaces or control characters";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute http(s) URL, e.g. https://example.org/webhooks";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http(s) URL";
  if (url.username !== "" || url.password !== "") return "must not contain a user name or password";
  if (url.hostname === "") return "must name a host";
  return null;
}

export const webhookUrlSchema = z
  .string({ error: (issue) => (issue.input === undefined ? "is required" : issue.input === null ? "may not be null" : "must be a string") })
  .trim()
  .min(1, "is required")
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .superRefine((value, check) => {
    const problem = urlProblem(value);
    if (problem) check.addIssue({ code: "custom", message: problem });
  });

/**
 * Why a site that does not allow private webhooks may not save this (valid) URL, or null: its host
 * is a refused address or a localhost name.
 */
export function privateUrlProblem(value: string): string | null {
  const { hostname } = new URL(value);
  const literal = literalAddressOf(hostname);
  const reason = literal === null ? (isLocalhostName(hostname) ? "loopback" : null) : refusedAddressReason(literal);
  return reason === null ? null : `must not point at ${hostname}, a ${reason} address: on this site webhooks call other machines only (the operator may allow private webhooks)`;
}
