// `equals-card-pin/types`: the spec's types alone, no runtime code. Re-exports only.
export type * from './core/types.js';
