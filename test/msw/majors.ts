// The msw majors in the peer range (`^2 || ^3`), each installed in this repository: msw 2 as `msw`, msw 3 as
// the `msw-3` alias devDependency. Tests of either run the same flows; what differs for users is here.
export const MSW_MAJORS = {
  'msw 2': { pkg: 'msw', onUnhandled: 'onUnhandledRequest' },
  // 3.0 renamed the unhandled-request option (it covers WebSocket frames too) and ignores the old name.
  'msw 3': { pkg: 'msw-3', onUnhandled: 'onUnhandledFrame' },
} as const;

export type MswMajor = keyof typeof MSW_MAJORS;

/** `{ onUnhandledRequest: 'error' }` or `{ onUnhandledFrame: 'error' }`, as the major names it. */
export const unhandledIsError = (major: MswMajor) => ({ [MSW_MAJORS[major].onUnhandled]: 'error' as const });
