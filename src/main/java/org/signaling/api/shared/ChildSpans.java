package org.signaling.api.shared;

import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Spans for the work a traced flow causes (a request's JSON-RPC call, AMI action, event append), and the trace id
 * that events carry. Children only: the view reads Kamailio every second and the PBX sends events of its own, and a
 * new trace for each of those would bury the traces of requests that people look for.
 */
@Component
public final class ChildSpans {

	/** For code built without Spring (tests, benches): no spans, no trace ids. */
	public static final ChildSpans NONE = new ChildSpans(Tracer.NOOP, Propagator.NOOP);

	private static final Tracer.SpanInScope NOT_IN_SCOPE = () -> {
	};

	private final Tracer tracer;

	private final Propagator propagator;

	@Autowired
	ChildSpans(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		this(tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
	}

	private ChildSpans(Tracer tracer, Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	/** A started child of the current span, or {@link Span#NOOP} outside a trace. End it. */
	public Span start(String name) {
		if (tracer.currentSpan() == null) {
			return Span.NOOP;
		}
		return tracer.nextSpan().name(name).start();
	}

	/**
	 * A started span that continues a trace kept from earlier (a {@link #currentTraceparent()} stored with the work a
	 * request left behind), or {@link Span#NOOP} without one. End it.
	 */
	public Span startContinuing(String name, @Nullable String traceparent) {
		if (traceparent == null || tracer == Tracer.NOOP) {
			return Span.NOOP;
		}
		// the propagator's own parsing: a damaged value starts a new trace, never fails the work
		return propagator.extract(Map.of("traceparent", traceparent), Map::get).name(name).start();
	}

	/** Makes the span current (its own children, the trace id in log lines) until the scope is closed. */
	public Tracer.SpanInScope open(Span span) {
		return span.isNoop() ? NOT_IN_SCOPE : tracer.withSpan(span);
	}

	/**
	 * The W3C {@code traceparent} of the current span ({@code 00-<trace id>-<span id>-<flags>}), or null outside a
	 * trace: what a caller needs to find this request's trace.
	 */
	public @Nullable String currentTraceparent() {
		TraceContext context = current();
		if (context == null) {
			return null;
		}
		// Written here, not by the propagator: the answer's header is W3C's whatever the deployment propagates.
		return "00-" + context.traceId() + "-" + context.spanId() + (Boolean.TRUE.equals(context.sampled()) ? "-01"
				: "-00");
	}

	/** The current trace's id (32 hex digits), or null outside a trace. */
	public @Nullable String currentTraceId() {
		TraceContext context = current();
		return (context == null) ? null : context.traceId();
	}

	/** The current context, or null outside a trace and without a tracer (whose no-op context has empty ids). */
	private @Nullable TraceContext current() {
		TraceContext context = tracer.currentTraceContext().context();
		return (context == null || context.traceId().isEmpty()) ? null : context;
	}

}
