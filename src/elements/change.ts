// <equals-pin-change>: a new PIN and its confirmation, checked by the spec's rule (the one generated table and
// validator) and the elements' weak-PIN policy before anything is sent, then `updatePin` on the backend.
import { operationTable } from '../core/operations.js';
import { type Rule, violation } from '../core/validate.js';
import { PinElementBase } from './base.js';
import { failureOf, type PinErrorDetail, setupFailure } from './failure.js';
import { readSetup } from './setup.js';
import { weaknessOf } from './weak.js';

/** The spec's rule for a PIN, from the generated table. */
const PIN_RULE: Rule = operationTable.updatePin.input.properties!.pin!;
const DIGITS = PIN_RULE.maxLength;

const HTML = `
<form class="box" part="form" id="form" novalidate aria-labelledby="label">
  <span class="label" part="label" id="label">Change card PIN</span>
  <div class="field" part="field">
    <label part="field-label" for="pin">New PIN</label>
    <span class="hint" part="hint" id="pin-hint">${DIGITS} digits</span>
    <input part="input" id="pin" type="text" inputmode="numeric" autocomplete="off" autocapitalize="off"
      spellcheck="false" aria-describedby="pin-hint pin-error" aria-invalid="false">
    <p class="field-error" part="field-error" id="pin-error"></p>
  </div>
  <div class="field" part="field">
    <label part="field-label" for="confirm">Repeat new PIN</label>
    <input part="input" id="confirm" type="text" inputmode="numeric" autocomplete="off" autocapitalize="off"
      spellcheck="false" aria-describedby="confirm-error" aria-invalid="false">
    <p class="field-error" part="field-error" id="confirm-error"></p>
  </div>
  <button part="button" id="button" type="submit" aria-disabled="false">Change PIN</button>
  <p class="status" part="status" id="status" role="status"></p>
  <p class="error" part="error" id="error" role="alert"></p>
  <span class="retry" part="retry" id="retry" role="timer"></span>
</form>`;

const WEAK = {
  same: 'All the digits are the same.',
  ascending: 'The digits count up (like 1234).',
  descending: 'The digits count down (like 9876).',
};

/** What is wrong with a new PIN, in words: the spec's rule first, then (unless allowed) the weak-PIN policy. */
export function newPinProblem(pin: string, allowWeak: boolean): string | undefined {
  if (!pin) return 'Enter a new PIN.';
  const broken = violation(pin, PIN_RULE);
  if (broken) return /length/i.test(broken[1]) ? `The PIN must have exactly ${DIGITS} digits.` : 'Use digits 0–9 only.';
  const weakness = allowWeak ? undefined : weaknessOf(pin);
  if (weakness) return `${WEAK[weakness]} Choose a PIN that is harder to guess.`;
}

/**
 * `<equals-pin-change base-url card-id account-id person-id allow-weak? label?>`. Two fields, a new PIN and
 * its confirmation (text inputs, `inputmode="numeric"`, `autocomplete="off"`), checked before anything is
 * sent: the spec's PIN rule through the one generated table and validator, a mismatch, and weak PINs (all
 * digits the same, or a run up or down) unless `allow-weak` is set. Then `updatePin` on the backend at
 * `base-url`; on success both fields are cleared and `pin-changed` fires (no value in it). While sending,
 * the submit is marked disabled and a second submit does nothing. Failures fire `pin-error`
 * ({@link PinErrorDetail}). States (`state`, `:state()`): `ready`, `invalid`, `sending`, `changed`, `error`,
 * `setup-error`.
 */
export class EqualsPinChangeElement extends PinElementBase {
  /** Custom-element lifecycle: `label` names the element's group; the rest is read when it acts. */
  static readonly observedAttributes = ['label'];
  #sending = false;

  constructor() {
    super(HTML);
    this.setState('ready');
    this.byId('form').addEventListener('submit', (event) => {
      event.preventDefault();
      if (!this.#sending && !this.waiting) void this.#change();
    });
  }

  /** Custom-element lifecycle: shows the `label` attribute (or the default) as the visible name. */
  attributeChangedCallback(): void {
    this.byId('label').textContent = this.getAttribute('label') || 'Change card PIN';
  }

  async #change(): Promise<void> {
    const setup = readSetup(this);
    if (!setup.ok) return this.fail(setupFailure(setup.message));
    const [pin, confirm] = [this.byId<HTMLInputElement>('pin'), this.byId<HTMLInputElement>('confirm')];
    const pinProblem = newPinProblem(pin.value, this.hasAttribute('allow-weak'));
    const confirmProblem = !confirm.value
      ? 'Enter the new PIN again.'
      : !pinProblem && confirm.value !== pin.value
        ? 'The two PINs do not match.'
        : undefined;
    this.clearFailure();
    this.byId('status').textContent = '';
    this.#fieldProblem('pin', pinProblem);
    this.#fieldProblem('confirm', confirmProblem);
    if (pinProblem || confirmProblem) {
      this.setState('invalid');
      (pinProblem ? pin : confirm).focus();
      return;
    }
    this.#sending = true;
    this.setBusy(true);
    this.setState('sending');
    this.byId('status').textContent = 'Changing your PIN…';
    try {
      await setup.client.updatePin({ ...setup.ids, pin: pin.value });
    } catch (error) {
      this.byId('status').textContent = '';
      return this.fail(failureOf(error, 'change'));
    } finally {
      this.#sending = false;
    }
    pin.value = '';
    confirm.value = '';
    this.setBusy(false);
    this.setState('changed');
    this.byId('status').textContent = 'Your PIN has been changed.';
    this.emit('pin-changed');
  }

  /** Says `problem` next to the field `id` (and marks it invalid), or clears it. */
  #fieldProblem(id: string, problem: string | undefined): void {
    this.byId(id).setAttribute('aria-invalid', String(!!problem));
    this.byId(`${id}-error`).textContent = problem ?? '';
  }

  /** See {@link PinElementBase.pageHidden}. */
  protected pageHidden(leaving: boolean): void {
    // A page kept in the back/forward cache must not bring typed PINs back; a tab switch keeps them.
    if (!leaving) return;
    this.byId<HTMLInputElement>('pin').value = '';
    this.byId<HTMLInputElement>('confirm').value = '';
  }
}
