// The default look, over CSS custom properties (`--equals-pin-*`) and `::part()` names a page can restyle.
// Given to the shadow root as a constructed style sheet where the browser has them: a page's CSP
// (`style-src` without 'unsafe-inline') blocks a <style> element, not a constructed sheet.

const CSS = `
:host {
  display: inline-block;
  font: var(--equals-pin-font, 1rem/1.5 system-ui, sans-serif);
  color: var(--equals-pin-color, #1a1a1a);
}
:host([hidden]) { display: none; }
.box {
  display: grid;
  gap: var(--equals-pin-gap, 0.5rem);
  padding: var(--equals-pin-padding, 1rem);
  background: var(--equals-pin-background, #fff);
  border: 1px solid var(--equals-pin-border-color, #767676);
  border-radius: var(--equals-pin-radius, 0.5rem);
}
.label { font-weight: 600; }
.digits {
  font: var(--equals-pin-digits-font, 600 2rem/1.2 ui-monospace, monospace);
  letter-spacing: 0.3em;
}
.shown .digits { animation: equals-pin-in 0.2s ease-out; }
@keyframes equals-pin-in { from { opacity: 0; } to { opacity: 1; } }
.countdown, .retry, .hint { color: var(--equals-pin-muted-color, #4a4a4a); font-size: 0.875em; }
button {
  font: inherit;
  justify-self: start;
  padding: 0.5rem 1rem;
  border: 0;
  border-radius: var(--equals-pin-radius, 0.5rem);
  background: var(--equals-pin-accent, #0b57d0);
  color: var(--equals-pin-accent-text, #fff);
  cursor: pointer;
  transition: background-color 0.15s;
}
button[aria-disabled='true'] { background: var(--equals-pin-disabled, #5f6368); cursor: not-allowed; }
button:focus-visible, input:focus-visible {
  outline: 3px solid var(--equals-pin-focus, #0b57d0);
  outline-offset: 2px;
}
.field { display: grid; gap: 0.25rem; }
input {
  font: var(--equals-pin-digits-font, 600 1.25rem/1.2 ui-monospace, monospace);
  letter-spacing: 0.3em;
  width: 8ch;
  padding: 0.375rem 0.5rem;
  border: 1px solid var(--equals-pin-border-color, #767676);
  border-radius: calc(var(--equals-pin-radius, 0.5rem) / 2);
}
input[aria-invalid='true'] { border-color: var(--equals-pin-error-color, #b3261e); }
.error, .field-error { color: var(--equals-pin-error-color, #b3261e); margin: 0; }
.status { margin: 0; }
.error:empty, .field-error:empty, .status:empty, .retry:empty, .countdown:empty { display: none; }
.sr {
  position: absolute;
  width: 1px;
  height: 1px;
  margin: -1px;
  padding: 0;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
  border: 0;
}
@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after { animation: none !important; transition: none !important; }
}
`;

let sheet: CSSStyleSheet | undefined;

/** Gives `root` the default look: one constructed sheet shared by every element, or a <style> without them. */
export function applyStyles(root: ShadowRoot): void {
  try {
    sheet ??= new CSSStyleSheet();
    if (!sheet.cssRules.length) sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = CSS;
    root.prepend(style);
  }
}
