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

/** Objects are closed unless `open`; responses are read open so a new server field breaks nothing. */
export function violation(value: any, rule: Rule, field: string, open?: boolean): Violation | undefined {
  const at = (key: string) => (field ? `${field}.${key}` : key);
  if (value === null && rule.nullable) return;
  if (rule.properties) {
    if (typeof value !== 'object' || !value || Array.isArray(value)) return [field || 'input', 'type', 'object'];
    for (const key of rule.required ?? []) if (value[key] === undefined) return [at(key), 'required'];
    for (const key of Object.keys(value)) {
      const sub = rule.properties[key];
      if (!sub) {
        if (!open) return [at(key), 'additionalProperties', false];
      } else if (value[key] !== undefined) {
        const found = violation(value[key], sub, at(key), open);
        if (found) return found;
      }
    }
    return;
  }
  if (typeof value !== rule.type) return [field, 'type', rule.type];
  if (typeof value !== 'string') return;
  // Lone surrogates cannot be URL- or UTF-8-encoded; lengths count code points, as JSON Schema does.
  if (/\p{Cs}/u.test(value)) return [field, 'wellFormed'];
  const length = [...value].length;
  if (rule.enum && !rule.enum.includes(value)) return [field, 'enum', rule.enum.join('|')];
  if (length < rule.minLength!) return [field, 'minLength', rule.minLength];
  if (length > rule.maxLength!) return [field, 'maxLength', rule.maxLength];
  if (rule.pattern && !new RegExp(rule.pattern, 'u').test(value)) return [field, 'pattern', rule.pattern];
}

/** Copies the fields a rule knows, so a response carries no field the spec does not describe. */
export function pick(value: any, rule: Rule): unknown {
  if (!rule.properties || !value) return value;
  const out: Record<string, unknown> = {};
  for (const key in rule.properties) if (value[key] !== undefined) out[key] = pick(value[key], rule.properties[key]!);
  return out;
}
