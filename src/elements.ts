// `equals-card-pin/elements`: the PIN elements for the cardholder's screen. Importing this module defines
// <equals-pin-reveal> and <equals-pin-change> (names already taken are left alone), so it is listed in
// package.json "sideEffects": a bundler keeps a bare `import 'equals-card-pin/elements'`. Browser only; it
// imports the client and nothing of the sandbox, MSW or the forwarder.
import { EqualsPinChangeElement } from './elements/change.js';
import { EqualsPinRevealElement } from './elements/reveal.js';

export { EqualsPinChangeElement } from './elements/change.js';
export type { PinErrorDetail } from './elements/failure.js';
export { EqualsPinRevealElement, type PinHiddenDetail } from './elements/reveal.js';

/** The tag names `defineEqualsPinElements` gives the elements. */
export const ELEMENT_NAMES = { reveal: 'equals-pin-reveal', change: 'equals-pin-change' } as const;

/**
 * Defines `<equals-pin-reveal>` and `<equals-pin-change>` in `registry`, leaving a name that is already
 * taken as it is. Runs on import with the page's registry; nothing happens where there is none (a server).
 */
export function defineEqualsPinElements(registry: CustomElementRegistry | undefined = globalThis.customElements): void {
  if (!registry) return;
  if (!registry.get(ELEMENT_NAMES.reveal)) registry.define(ELEMENT_NAMES.reveal, EqualsPinRevealElement);
  if (!registry.get(ELEMENT_NAMES.change)) registry.define(ELEMENT_NAMES.change, EqualsPinChangeElement);
}

defineEqualsPinElements();

declare global {
  interface HTMLElementTagNameMap {
    'equals-pin-reveal': EqualsPinRevealElement;
    'equals-pin-change': EqualsPinChangeElement;
  }
}
