package org.signaling.api.shared;

import io.micrometer.tracing.CurrentTraceContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * What requests and events are told of their trace: the W3C forms, and nothing (never an empty or malformed id)
 * where there is no trace or no tracer.
 */
class ChildSpansTests {

	@Test
	void theCurrentSpanIsGivenInTheW3cForms() {
		ChildSpans spans = spansOver(context("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true));

		assertThat(spans.currentTraceparent()).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
		assertThat(spans.currentTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
		assertThat(spansOver(context("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", false))
			.currentTraceparent()).as("not sampled").endsWith("-00");
	}

	@Test
	void outsideATraceOrWithoutATracerThereIsNone() {
		assertThat(spansOver(null).currentTraceparent()).isNull();
		assertThat(spansOver(null).currentTraceId()).isNull();
		assertThat(spansOver(null).start("kamailio dlg.end_dlg")).as("no root span of its own").isSameAs(Span.NOOP);
		// Micrometer's no-op tracer (Boot's when the OpenTelemetry tracer is off) has a context with empty ids
		assertThat(spansOver(CurrentTraceContext.NOOP.context()).currentTraceparent()).isNull();
		assertThat(spansOver(CurrentTraceContext.NOOP.context()).currentTraceId()).isNull();
		assertThat(ChildSpans.NONE.currentTraceparent()).isNull();
		assertThat(ChildSpans.NONE.startContinuing("call lifecycle", "00-4bf92f3577b34da6a3ce929d0e0e4736-"
				+ "00f067aa0ba902b7-01")).isSameAs(Span.NOOP);
	}

	private static ChildSpans spansOver(TraceContext current) {
		Tracer tracer = mock(Tracer.class);
		CurrentTraceContext currentTraceContext = mock(CurrentTraceContext.class);
		when(tracer.currentTraceContext()).thenReturn(currentTraceContext);
		when(currentTraceContext.context()).thenReturn(current);
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		beans.registerSingleton("tracer", tracer);
		return new ChildSpans(beans.getBeanProvider(Tracer.class), beans.getBeanProvider(Propagator.class));
	}

	private static TraceContext context(String traceId, String spanId, boolean sampled) {
		TraceContext context = mock(TraceContext.class);
		when(context.traceId()).thenReturn(traceId);
		when(context.spanId()).thenReturn(spanId);
		when(context.sampled()).thenReturn(sampled);
		return context;
	}

}
