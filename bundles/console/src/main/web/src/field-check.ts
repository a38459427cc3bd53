// A form field's value checked as the server checks userconfig.xml (bundles/config: Values,
// TimeValue, Addresses), with the server's own words, so that the form says at the field what
// `safekit confcheck` would say at the line.

/** What a field holds, after the XSD's simple types (config/xsd/userconfig.xsd). */
export type ValueKind =
  /** xs:string with minLength 1 (type "name") */
  | "name"
  /** xs:string, anything */
  | "text"
  /** type "port": an integer between 1 and 65535 */
  | "port"
  /** type "time": a number with an optional unit; `unit` is the implicit one (spec B.1) */
  | "time"
  /** a "name" that must also be an IPv4, IPv6 address or DNS name (server's checkAddress) */
  | "address"
  /** a "name" holding witness addresses separated by spaces (<splitbrain arg>) */
  | "witnesses";

export interface ValueRule {
  kind: ValueKind;
  /** The implicit unit of a time value: s, ms … */
  unit?: string;
  /** An attribute the XSD declares use="required". */
  required?: boolean;
}

const MICROS: Record<string, bigint> = { us: 1n, ms: 1000n, s: 1000000n, m: 60000000n, h: 3600000000n, d: 86400000000n };
const LONG_MAX = 9223372036854775807n;

/** TimeValue.parse's message for a time value with implicit unit {@code unit}, or null. */
export function timeProblem(value: string, unit: string, attribute: string): string | null {
  const m = /^([0-9]+)(d|h|m|s|ms|us)?$/.exec(value);
  if (!m) {
    return `invalid value '${value}' for the attribute ${attribute}; expected a number with an optional unit d, h, m, s, ms or us (implicit unit: '${unit}')`;
  }
  const number = BigInt(m[1]);
  const micros = number * MICROS[m[2] ?? unit];
  if (number > LONG_MAX || micros > LONG_MAX) return `invalid value '${value}' for the attribute ${attribute} (too large)`;
  const implicit = MICROS[unit];
  // rounded half to even, as the server: 500ms for a value in seconds is refused
  const quotient = micros / implicit;
  const twice = (micros % implicit) * 2n;
  const rounded = quotient + (twice > implicit || (twice === implicit && quotient % 2n === 1n) ? 1n : 0n);
  if (rounded === 0n && number !== 0n) {
    return `invalid value '${value}' for the attribute ${attribute} (expected time unit: '${unit}')`;
  }
  return rounded * implicit * 1000n > LONG_MAX ? `invalid value '${value}' for the attribute ${attribute} (too large)` : null;
}

const IPV4 = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;
const DNS_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

function isDnsName(name: string): boolean {
  const trimmed = name.endsWith(".") ? name.slice(0, -1) : name;
  if (trimmed === "" || trimmed.length > 253) return false;
  return trimmed.split(".").every((l) => DNS_LABEL.test(l));
}

function isIpv6(address: string): boolean {
  let text = address;
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  const lastColon = text.lastIndexOf(":");
  if (lastColon >= 0 && text.indexOf(".", lastColon) > 0) {
    if (!IPV4.test(text.slice(lastColon + 1))) return false;
    text = text.slice(0, lastColon + 1) + "0:0";
  }
  const double = text.indexOf("::");
  if (double >= 0 && text.indexOf("::", double + 1) >= 0) return false;
  const parts = text.split(":");
  let count = 0;
  for (const part of parts) {
    if (part === "") {
      if (double < 0) return false;
      continue;
    }
    if (!HEX_GROUP.test(part)) return false;
    count++;
  }
  return double >= 0 ? count < 8 : count === 8 && parts.length === 8;
}

/** Addresses.check (without brackets required): the reason an address is not one, or null. */
export function addressProblem(address: string): string | null {
  if (address.startsWith("[") && address.endsWith("]")) {
    return isIpv6(address.slice(1, -1)) ? null : `'${address}' is not a valid IPv6 address`;
  }
  if (address.includes(":")) {
    return isIpv6(address) ? null : `'${address}' is not a valid IPv4, IPv6 address or DNS name`;
  }
  if (IPV4.test(address)) return null;
  if (/^[0-9.]+$/.test(address)) return `'${address}' is not a valid IPv4 address`;
  return isDnsName(address) ? null : `'${address}' is not a valid IPv4, IPv6 address or DNS name`;
}

/**
 * The server's message for {@code value} of attribute {@code attribute} on {@code <element>}, or
 * null. An empty optional value is no problem: the form then leaves the attribute out (its default
 * applies); an empty required one is written empty, and refused as the server refuses it.
 */
export function valueProblem(rule: ValueRule, value: string, attribute: string, element: string): string | null {
  const what = `for attribute '${attribute}' of <${element}>`;
  // %MACRO% references are expanded by the server before the types apply (XSD header)
  if (/%[^%\s]+%/.test(value)) return null;
  if (value === "" && !rule.required) return null;
  switch (rule.kind) {
    case "text":
      return null;
    case "name":
      return value === "" ? `empty value ${what}` : null;
    case "port": {
      const ok = /^[+-]?[0-9]+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535;
      return ok ? null : `invalid value '${value}' ${what}; expected an integer between 1 and 65535`;
    }
    case "time":
      return timeProblem(value, rule.unit ?? "s", attribute);
    case "address":
      return value === "" ? `empty value ${what}` : addressProblem(value);
    case "witnesses": {
      if (value === "") return `empty value ${what}`;
      for (const w of value.trim().split(/\s+/).filter((s) => s !== "")) {
        const p = addressProblem(w);
        if (p) return `witness ${p}`;
      }
      return null;
    }
  }
}
