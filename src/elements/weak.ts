// The elements' own policy on top of the spec's rule: PINs that are guessed first. Not a spec rule, so it
// lives here and not in the generated table; `allow-weak` turns it off.

/** Why a PIN is weak, or `undefined` when it is not. */
export type Weakness = 'same' | 'ascending' | 'descending';

/** All digits the same (`7777`), or a run one step up or down (`1234`, `9876`). */
export function weaknessOf(pin: string): Weakness | undefined {
  const steps = new Set<number>();
  for (let i = 1; i < pin.length; i++) steps.add(pin.charCodeAt(i) - pin.charCodeAt(i - 1));
  if (steps.size !== 1) return;
  const [step] = steps;
  return step === 0 ? 'same' : step === 1 ? 'ascending' : step === -1 ? 'descending' : undefined;
}
