import { stripeErrors } from './errors';

export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Decodes Stripe's form encoding: `metadata[orderId]=7&payment_method_types[0]=card&expand[]=x`
 * becomes `{ metadata: { orderId: '7' }, payment_method_types: ['card'], expand: ['x'] }`.
 * Used for POST bodies and GET query strings alike, as Stripe does.
 */
export function decodeForm(encoded: string): FormObject {
  const root: FormObject = {};
  for (const [name, value] of new URLSearchParams(encoded)) {
    const segments = parseName(name);
    if (!segments || segments.some((segment) => forbiddenKeys.has(segment))) {
      throw stripeErrors.invalidValue(name, `Invalid parameter name: ${name}`);
    }
    assign(root, segments, value);
  }
  return arraysFromIndexedObjects(root) as FormObject;
}

function parseName(name: string): string[] | undefined {
  const match = name.match(/^([^[\]]+)((?:\[[^[\]]*\])*)$/);
  if (!match) return undefined;
  const rest = [...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1] ?? '');
  return [match[1] as string, ...rest];
}

function assign(target: FormObject, segments: string[], value: string): void {
  let node = target;
  for (let index = 0; index < segments.length - 1; index++) {
    let key = segments[index] as string;
    if (key === '') key = String(Object.keys(node).length);
    const existing = node[key];
    if (existing === undefined || typeof existing === 'string') node[key] = {};
    node = node[key] as FormObject;
  }
  let last = segments[segments.length - 1] as string;
  if (last === '') last = String(Object.keys(node).length);
  node[last] = value;
}

/** Objects keyed 0..n-1 were arrays on the client side (`arr[0]`, `arr[]`). */
function arraysFromIndexedObjects(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted: FormObject = {};
  for (const key of keys) converted[key] = arraysFromIndexedObjects(value[key] as FormValue);
  const isArray = keys.length > 0 && keys.every((key, index) => key === String(index));
  return isArray ? keys.map((key) => converted[key] as FormValue) : converted;
}

/** Reads and checks a request's parameters the way Stripe's API validates them. */
export class Params {
  constructor(
    private readonly values: FormObject,
    allowed: string[],
  ) {
    for (const key of Object.keys(values)) {
      if (!allowed.includes(key)) throw stripeErrors.parameterUnknown(key);
    }
  }

  string(name: string, options: { required?: boolean; oneOf?: string[] } = {}): string | undefined {
    const value = this.values[name];
    if (value === undefined || value === '') {
      if (options.required) throw stripeErrors.parameterMissing(name);
      return undefined;
    }
    if (typeof value !== 'string') throw stripeErrors.invalidValue(name, `Invalid string: ${name}`);
    if (options.oneOf && !options.oneOf.includes(value)) {
      throw stripeErrors.invalidValue(name, `Invalid ${name}: must be one of ${options.oneOf.join(', ')}`);
    }
    return value;
  }

  integer(name: string, options: { required?: boolean } = {}): number | undefined {
    const raw = this.string(name, options);
    if (raw === undefined) return undefined;
    if (!/^-?\d+$/.test(raw)) throw stripeErrors.invalidInteger(name, raw);
    return Number.parseInt(raw, 10);
  }

  boolean(name: string): boolean | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    if (raw !== 'true' && raw !== 'false') throw stripeErrors.invalidValue(name, `Invalid boolean: ${raw}`);
    return raw === 'true';
  }

  strings(name: string): string[] | undefined {
    const value = this.values[name];
    if (value === undefined || value === '') return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      throw stripeErrors.invalidValue(name, `Invalid array: ${name}`);
    }
    return value as string[];
  }

  /** Metadata: string values only, up to Stripe's 50 keys. */
  metadata(name = 'metadata'): Record<string, string> | undefined {
    const value = this.values[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw stripeErrors.invalidValue(name, 'Invalid object: metadata must be a hash of strings');
    }
    const entries = Object.entries(value);
    if (entries.length > 50 || entries.some(([, item]) => typeof item !== 'string')) {
      throw stripeErrors.invalidValue(name, 'Invalid metadata: at most 50 string values');
    }
    return Object.fromEntries(entries) as Record<string, string>;
  }

  object(name: string): FormObject | undefined {
    const value = this.values[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'object' || Array.isArray(value))
      throw stripeErrors.invalidValue(name, `Invalid object: ${name}`);
    return value;
  }
}
