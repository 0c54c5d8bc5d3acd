// The tracer option takes OpenTelemetry's own Tracer (whatever SDK made it), though the package's types
// declare only the part they use; and the hooks fit the instrumentations' and the SDK's own config types.
import type { Tracer } from '@opentelemetry/api';
import type { UndiciInstrumentationConfig } from '@opentelemetry/instrumentation-undici';
import type { FetchInstrumentationConfig } from '@opentelemetry/instrumentation-fetch';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expectTypeOf, test } from 'vitest';
import type { PinClientOptions } from '../../src/index.js';
import type { PinForwarderOptions } from '../../src/forward.js';
import { pinFetchRequestHook, pinRedactingSpanProcessor, pinStartSpanHook } from '../../src/otel.js';

describe('the tracer option', () => {
  test('takes an OpenTelemetry Tracer, on the client and the forwarder', () => {
    expectTypeOf<Tracer>().toExtend<NonNullable<PinClientOptions['tracer']>>();
    expectTypeOf<Tracer>().toExtend<NonNullable<PinForwarderOptions['tracer']>>();
  });

  test('refuses what is not a tracer', () => {
    expectTypeOf<{ startSpan(name: string): unknown }>().not.toExtend<NonNullable<PinClientOptions['tracer']>>();
  });
});

describe('the hooks', () => {
  test('fit the undici and fetch instrumentations’ options and the SDK’s span processors', () => {
    expectTypeOf(pinStartSpanHook).toExtend<NonNullable<UndiciInstrumentationConfig['startSpanHook']>>();
    expectTypeOf(pinFetchRequestHook).toExtend<NonNullable<FetchInstrumentationConfig['requestHook']>>();
    expectTypeOf(pinRedactingSpanProcessor()).toExtend<SpanProcessor>();
  });
});
