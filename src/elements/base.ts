// What both elements share: an open shadow root with the default look, a state a page can style
// (`:state(shown)`) and read (`element.state`), value-free events, page-lifecycle listeners, and a
// failure shown in words (with a Retry-After countdown) and reported as `pin-error`.
import type { Failure } from './failure.js';
import { applyStyles } from './styles.js';

/** HTMLElement, or a stand-in where there is none (a server rendering the page), so the import never throws. */
const Base = (globalThis.HTMLElement ?? class {}) as typeof HTMLElement;

/** Base of both PIN elements. */
export abstract class PinElementBase extends Base {
  /** The open shadow root: auditing tools see inside; a closed one would hide nothing from the page's scripts. */
  protected readonly root: ShadowRoot;
  #internals: ElementInternals | undefined;
  #state = '';
  #stopRetry: (() => void) | undefined;
  #onPage = (event: Event) => {
    if (event.type === 'pagehide') this.pageHidden(true);
    else if (document.visibilityState === 'hidden') this.pageHidden(false);
  };

  /** @param html - the element's markup: fixed text only, never a value */
  constructor(html: string) {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    this.root.innerHTML = html;
    applyStyles(this.root);
    try {
      this.#internals = this.attachInternals();
    } catch {
      // Without ElementInternals there is no :state(); `state` still says it.
    }
  }

  /** What the element is doing now; also a custom state (`:state(shown)`) for the page's CSS. */
  get state(): string {
    return this.#state;
  }

  /**
   * The page went out of sight, or (`leaving`) is going away or the element was removed: the element lets
   * go of whatever it should not keep showing.
   */
  protected abstract pageHidden(leaving: boolean): void;

  /** Whether a Retry-After countdown holds the element's button. */
  protected get waiting(): boolean {
    return !!this.#stopRetry;
  }

  /** Marks the button (id `button`) busy or free; `aria-disabled` rather than `disabled` keeps its focus. */
  protected setBusy(busy: boolean): void {
    this.byId('button').setAttribute('aria-disabled', String(busy));
  }

  /** Clears the error (id `error`) and any countdown (id `retry`). */
  protected clearFailure(): void {
    this.#stopRetry?.();
    this.#stopRetry = undefined;
    this.byId('error').textContent = '';
    this.byId('retry').textContent = '';
  }

  /** Shows `failure` in words, holds the button through a Retry-After, and fires `pin-error`. */
  protected fail({ detail, message }: Failure): void {
    this.clearFailure();
    this.setState(detail.code === 'setup' ? 'setup-error' : 'error');
    const error = this.byId('error');
    const retry = this.byId('retry');
    const wait = detail.status === 429 ? detail.retryAfterMs : undefined;
    error.textContent = detail.status === 429 && !wait ? `${message} Please try again later.` : message;
    this.setBusy(!!wait);
    if (wait) {
      // The seconds tick in a timer role, outside the alert, so the alert is announced once.
      this.#stopRetry = countdown(
        wait,
        (seconds) => (retry.textContent = `You can try again in ${seconds} s.`),
        () => {
          this.#stopRetry = undefined;
          retry.textContent = '';
          error.textContent = `${message} You can try again now.`;
          this.setBusy(false);
        },
      );
    }
    this.emit('pin-error', { ...detail });
  }

  /** Sets the state (and its custom state, where the browser has them). */
  protected setState(state: string): void {
    const states = this.#internals?.states;
    try {
      if (this.#state) states?.delete(this.#state);
      states?.add(state);
    } catch {
      // Older custom-state syntax only: `state` still says it.
    }
    this.#state = state;
  }

  /** Fires a bubbling, composed event; `detail` never holds a value. */
  protected emit(type: string, detail?: object): void {
    this.dispatchEvent(
      new CustomEvent(type, { bubbles: true, composed: true, detail: detail && Object.freeze(detail) }),
    );
  }

  /** The shadow root's element with this id. */
  protected byId<T extends HTMLElement>(id: string): T {
    return this.root.getElementById(id) as T;
  }

  /** Custom-element lifecycle: listens for the page being hidden or left. */
  connectedCallback(): void {
    document.addEventListener('visibilitychange', this.#onPage);
    window.addEventListener('pagehide', this.#onPage);
  }

  /** Custom-element lifecycle: stops listening, stops any countdown, and lets go as when the page is left. */
  disconnectedCallback(): void {
    document.removeEventListener('visibilitychange', this.#onPage);
    window.removeEventListener('pagehide', this.#onPage);
    if (this.#stopRetry) {
      // A countdown stopped here must not hold the button for ever if the element is put back (a move).
      this.#stopRetry();
      this.#stopRetry = undefined;
      this.byId('retry').textContent = '';
      this.setBusy(false);
    }
    this.pageHidden(true);
  }
}

/** Calls `tick` with the whole seconds left until `ms` from now have passed, each second, then `done`. */
export function countdown(ms: number, tick: (seconds: number) => void, done: () => void): () => void {
  const end = Date.now() + ms;
  let timer: ReturnType<typeof setTimeout>;
  const step = () => {
    const left = end - Date.now();
    if (left <= 0) return done();
    tick(Math.ceil(left / 1000));
    timer = setTimeout(step, left % 1000 || 1000);
  };
  step();
  return () => clearTimeout(timer);
}
