// <equals-pin-reveal>: four dots and a "Show PIN" button; the PIN from the backend, shown with a countdown,
// announced once digit by digit, and hidden again on the timer, the button, or the page going away.
import { countdown, PinElementBase } from './base.js';
import { failureOf, type PinErrorDetail, setupFailure } from './failure.js';
import { readSetup } from './setup.js';

/** The `detail` of a `pin-hidden` event: what hid the PIN. */
export interface PinHiddenDetail {
  /** `timer`: `auto-hide` ran out; `button`: the cardholder hid it; `page`: the page was hidden, left or the element removed. */
  readonly reason: 'timer' | 'button' | 'page';
}

const DOTS = '••••';
/** `auto-hide` in seconds: the default and the range allowed. */
const AUTO_HIDE = { default: 10, min: 1, max: 60 } as const;

const HTML = `
<div class="box" part="container" id="container" role="group" aria-labelledby="label">
  <span class="label" part="label" id="label">Card PIN</span>
  <span class="digits" part="digits" id="digits" role="img" aria-label="PIN hidden">${DOTS}</span>
  <span class="countdown" part="countdown" id="countdown" role="timer"></span>
  <button part="button" id="button" type="button" aria-disabled="false">Show PIN</button>
  <p class="error" part="error" id="error" role="alert"></p>
  <span class="retry" part="retry" id="retry" role="timer"></span>
  <span class="sr" id="live" aria-live="polite"></span>
</div>`;

/** `auto-hide` in seconds, or why it cannot be used. */
function autoHideOf(value: string | null): number | string {
  if (value === null) return AUTO_HIDE.default;
  const seconds = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (seconds >= AUTO_HIDE.min && seconds <= AUTO_HIDE.max) return seconds;
  return `auto-hide must be a whole number of seconds from ${AUTO_HIDE.min} to ${AUTO_HIDE.max}`;
}

/**
 * `<equals-pin-reveal base-url card-id account-id person-id auto-hide? label?>`. Starts masked and fetches
 * nothing until "Show PIN" is used; then calls `getPin` on the backend at `base-url` (the client in browser
 * mode: no key, the verification method left to the backend), shows the four digits with a countdown, and
 * hides them after `auto-hide` seconds (default 10, 1 to 60), on "Hide PIN", or when the page is hidden or
 * left. The PIN is written only into the shadow root's text, and dropped when it hides. Events (bubbling,
 * composed, never a value): `pin-shown`, `pin-hidden` ({@link PinHiddenDetail}), `pin-error`
 * ({@link PinErrorDetail}). States (`state`, `:state()`): `masked`, `loading`, `shown`, `empty` (the card
 * has no PIN), `error`, `setup-error`.
 */
export class EqualsPinRevealElement extends PinElementBase {
  /** Custom-element lifecycle: `label` names the element's group; the rest is read when it acts. */
  static readonly observedAttributes = ['label'];
  #abort: AbortController | undefined;
  #stopTimer: (() => void) | undefined;

  constructor() {
    super(HTML);
    this.setState('masked');
    this.byId('button').addEventListener('click', () => this.#onButton());
  }

  /** Custom-element lifecycle: shows the `label` attribute (or the default) as the visible name. */
  attributeChangedCallback(): void {
    this.byId('label').textContent = this.getAttribute('label') || 'Card PIN';
  }

  #onButton(): void {
    if (this.state === 'shown') this.#hide('button');
    else if (this.state !== 'loading' && !this.waiting) void this.#reveal();
  }

  async #reveal(): Promise<void> {
    const seconds = autoHideOf(this.getAttribute('auto-hide'));
    const setup = readSetup(this);
    if (typeof seconds === 'string') return this.fail(setupFailure(seconds));
    if (!setup.ok) return this.fail(setupFailure(setup.message));
    this.clearFailure();
    this.setState('loading');
    this.setBusy(true);
    const abort = new AbortController();
    this.#abort = abort;
    let pin: string | null;
    try {
      ({ pin } = await setup.client.getPin(setup.ids, { signal: abort.signal }));
    } catch (error) {
      // Hidden or removed meanwhile: nothing to show, and nothing went wrong.
      if (abort.signal.aborted) return;
      this.#abort = undefined;
      return this.fail(failureOf(error, 'see'));
    }
    if (abort.signal.aborted) return;
    this.#abort = undefined;
    this.setBusy(false);
    if (pin === null) {
      this.setState('empty');
      this.byId('error').textContent = 'This card has no PIN yet.';
      return;
    }
    this.#show(pin, seconds);
  }

  #show(pin: string, seconds: number): void {
    const digits = this.byId('digits');
    digits.textContent = pin;
    digits.setAttribute('aria-label', 'PIN shown');
    this.byId('container').classList.add('shown');
    // Announced once, a digit at a time ("4 8 2 1", not "four thousand eight hundred…").
    this.byId('live').textContent = `Your PIN is ${[...pin].join(' ')}.`;
    this.byId('button').textContent = 'Hide PIN';
    this.setState('shown');
    const shown = this.byId('countdown');
    this.#stopTimer = countdown(
      seconds * 1000,
      (left) => (shown.textContent = `Hides in ${left} s`),
      () => this.#hide('timer'),
    );
    this.emit('pin-shown');
  }

  /** Puts the dots back, forgets the PIN everywhere it was written, and says why. */
  #hide(reason: PinHiddenDetail['reason']): void {
    this.#stopTimer?.();
    this.#stopTimer = undefined;
    const digits = this.byId('digits');
    digits.textContent = DOTS;
    digits.setAttribute('aria-label', 'PIN hidden');
    this.byId('container').classList.remove('shown');
    this.byId('countdown').textContent = '';
    this.byId('live').textContent = 'PIN hidden.';
    this.byId('button').textContent = 'Show PIN';
    this.setState('masked');
    this.emit('pin-hidden', { reason } satisfies PinHiddenDetail);
  }

  /** See {@link PinElementBase.pageHidden}. */
  protected pageHidden(): void {
    if (this.state === 'shown') this.#hide('page');
    else if (this.state === 'loading') {
      // A PIN that arrives after the page went away is never shown.
      this.#abort?.abort();
      this.#abort = undefined;
      this.setBusy(false);
      this.setState('masked');
    }
  }
}
