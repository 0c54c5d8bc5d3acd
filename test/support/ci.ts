// Whether this run is CI's (`.ci/run` sets CI=true): there a tool the tests need and cannot find is a
// failure, never a skip; elsewhere its tests skip, saying how to install it. One reading for every tool.
export const inCI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
