// Checks a value against a rule from generated/pin-constraints.ts and reports the first
// broken one as [field, keyword, limit]. The value itself never leaves this function.

export interface Rule {
  readonly type: string;
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly nullable?: boolean;
  readonly properties?: Readonly<Record<string, Rule>>;
  readonly required?: readonly string[];
}

export type Violation = [field: string, rule: string, limit?: unknown];

/**
 * A broken rule in words, never the value: `pin fails pattern ^[0-9]{4}$`. The one wording of every
 * refusal: the client's `PinValidationError`, the sandbox's and the forwarder's 400s.
 */
export const ruleMessage = (field: string, rule: string, limit?: unknown): string =>
  `${field} fails ${rule}${limit === undefined ? '' : ` ${limit}`}`;

const compiled = new Map<string, RegExp>();
const regExp = (pattern: string) =>
  compiled.get(pattern) ?? compiled.set(pattern, new RegExp(pattern, 'u')).get(pattern)!;

/**
 * A key's own value: wire data meets tables here, and a key such as `__proto__` or `constructor`
 * must not find what every object inherits.
 */
const own = (object: object, key: string): any => (Object.hasOwn(object, key) ? (object as any)[key] : undefined);

/** Prefixes a nested violation's field with its parent key; paths are built only on failure. */
function under(key: string, found: Violation): Violation {
  found[0] = found[0] ? `${key}.${found[0]}` : key;
  return found;
}

/** Objects are closed unless `open`; responses are read open so a new server field breaks nothing. */
export function violation(value: any, rule: Rule, open?: boolean): Violation | undefined {
  if (value === null && rule.nullable) return;
  if (rule.properties) {
    if (typeof value !== 'object' || !value || Array.isArray(value)) return ['', 'type', 'object'];
    for (const key of rule.required ?? []) if (own(value, key) === undefined) return [key, 'required'];
    for (const key of Object.keys(value)) {
      const sub = own(rule.properties, key);
      if (!sub) {
        if (!open) return [key, 'additionalProperties', false];
      } else if (value[key] !== undefined) {
        const found = violation(value[key], sub, open);
        if (found) return under(key, found);
      }
    }
    return;
  }
  if (typeof value !== rule.type) return ['', 'type', rule.type];
  if (typeof value !== 'string') return;
  // Lone surrogates cannot be URL- or UTF-8-encoded; lengths count code points, as JSON Schema does.
  // Without a surrogate (the common case) the string is well formed and its length is its code points; the
  // Unicode-property test, a measurable part of a call, runs only when there is one (issue 16).
  const surrogates = /[\uD800-\uDFFF]/.test(value);
  if (surrogates && /\p{Cs}/u.test(value)) return ['', 'wellFormed'];
  const length = surrogates ? [...value].length : value.length;
  if (rule.enum && !rule.enum.includes(value)) return ['', 'enum', rule.enum.join('|')];
  if (length < rule.minLength!) return ['', 'minLength', rule.minLength];
  if (length > rule.maxLength!) return ['', 'maxLength', rule.maxLength];
  if (rule.pattern && !regExp(rule.pattern).test(value)) return ['', 'pattern', rule.pattern];
}

/** Copies the fields a rule knows, so a response carries no field the spec does not describe. */
export function pick(value: any, rule: Rule): unknown {
  if (!rule.properties || !value) return value;
  const out: Record<string, unknown> = {};
  for (const key in rule.properties)
    if (own(value, key) !== undefined) out[key] = pick(value[key], rule.properties[key]!);
  return out;
}
