package org.signaling.api;

import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.signaling.api.events.Event;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.StoredEvent;
import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.ApiClient.Response;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.LiveService;
import org.signaling.api.testsupport.Sipp;
import org.signaling.api.testsupport.TestTls;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import org.signaling.api.testsupport.ami.CallScript;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A WWE request followed through its trace: the caller's {@code traceparent} is continued and returned, the AMI
 * action and the Kamailio RPC it causes are child spans, the event it appends carries the trace id, and so do its
 * log lines. The spans are exported as a collector would receive them (an exporter bean in place of OTLP).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "management.opentelemetry.tracing.export.schedule-delay=100ms")
@AutoConfigureTracing
@Import(TracingIT.Collector.class)
@ExtendWith(OutputCaptureExtension.class)
class TracingIT {

	static final Duration BOUND = Duration.ofSeconds(30);

	static final TestTls TLS = TestTls.create();

	static final KamailioProcess KAMAILIO = KamailioProcess.start("127.0.0.1:9");

	static final Sipp SIPP = new Sipp(KAMAILIO);

	static final AmiServerDouble ASTERISK = LiveService.startAsterisk();

	@LocalServerPort
	int port;

	@Autowired
	EventLog events;

	@Autowired
	CollectedSpans exported;

	ApiClient api;

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		LiveService.register(registry, TLS, KAMAILIO, "127.0.0.1:9");
		LiveService.registerAsterisk(registry, ASTERISK);
	}

	@BeforeEach
	void setUp() {
		api = new ApiClient("https://localhost:" + port, TLS.clientContext());
		ASTERISK.calls().defaultScript(CallScript.ANSWER_AND_BRIDGE).resumeEvents();
		await().atMost(BOUND).until(() -> "up".equals(api.componentStatus("asterisk")));
	}

	@AfterAll
	static void stopBackends() {
		SIPP.close();
		KAMAILIO.close();
		ASTERISK.close();
	}

	@Test
	void clickToDialContinuesTheCallersTraceIntoTheAmiActionAndTheEvent(CapturedOutput output) {
		try (Sipp.Agent agent = SIPP.agentUas("5001")) {
			await().atMost(BOUND).until(() -> api.get("/api/dn/5001").json().path("registered").asBoolean());
			String traceId = randomHex(16);
			String callerSpanId = randomHex(8);

			Response made = api.post("/api/call/make", "{\"from\":\"5001\",\"to\":\"5551234567\"}", "traceparent",
					"00-" + traceId + "-" + callerSpanId + "-01");

			assertThat(made.status()).as(made.toString()).isEqualTo(202);
			assertThat(made.header("traceparent")).as("the request's own span in the caller's trace")
				.matches("00-" + traceId + "-[0-9a-f]{16}-01")
				.doesNotContain(callerSpanId);
			assertThat(made.header("X-Request-Id")).isNotBlank();
			String callId = made.json().path("call_id").asString();
			String serverSpanId = made.header("traceparent").substring(36, 52);

			Event initiated = eventOf(callId, "call.initiated").orElseThrow();
			assertThat(initiated.traceId()).isEqualTo(traceId);

			await().atMost(BOUND).untilAsserted(() -> {
				SpanData server = exported.named(traceId, (span) -> span.getKind() == SpanKind.SERVER);
				assertThat(server.getParentSpanId()).isEqualTo(callerSpanId);
				assertThat(server.getSpanId()).isEqualTo(serverSpanId);
				SpanData originate = exported.named(traceId, (span) -> span.getName().equals("ami Originate"));
				assertThat(originate.getAttributes().asMap().toString()).contains("outcome=ok");
				SpanData append = exported.named(traceId, (span) -> span.getName().equals("event append")
						&& span.getAttributes().asMap().toString().contains("call.initiated"));
				assertThat(List.of(originate.getParentSpanId(), append.getParentSpanId()))
					.allSatisfy((parent) -> assertThat(exported.inTrace(traceId)).anySatisfy(
							(span) -> assertThat(span.getSpanId()).isEqualTo(parent)));
			});
			assertThat(output.getAll().lines().filter((line) -> line.contains("call.make")))
				.as("the audit line of the request")
				.anySatisfy((line) -> assertThat(line).contains(traceId));
			api.post("/api/call/hangup", "{\"call_id\":\"" + callId + "\"}");
		}
	}

	@Test
	void aHangUpThroughKamailioIsAnRpcSpanOfTheRequest() {
		try (Sipp.Agent callee = SIPP.agentUas("5004"); Sipp.Agent caller = SIPP.call("5003", "5004")) {
			await().atMost(BOUND).until(() -> "confirmed".equals(
					api.get("/api/calls/dn/5003").json().path("active_calls").path(0).path("state").asString()));
			String sipCallId = api.get("/api/calls/dn/5003").json().path("active_calls").path(0).path("call_id")
				.asString();
			String traceId = randomHex(16);

			Response hangup = api.post("/api/call/hangup", "{\"call_id\":\"" + sipCallId + "\"}", "traceparent",
					"00-" + traceId + "-" + randomHex(8) + "-01");

			assertThat(hangup.status()).as(hangup.toString()).isEqualTo(200);
			await().atMost(BOUND).untilAsserted(() -> {
				SpanData end = exported.named(traceId, (span) -> span.getName().equals("kamailio dlg.end_dlg"));
				assertThat(end.getAttributes().asMap().toString()).contains("rpc.method=dlg.end_dlg");
			});
		}
	}

	@Test
	void aRequestWithoutATraceparentStartsATraceAndIsToldItsId() {
		Response answer = api.get("/api/dn/list");

		assertThat(answer.header("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
	}

	@Test
	void aMalformedTraceparentIsIgnoredNotFailed() {
		Response answer = api.get("/api/dn/list", "application/json", "traceparent", "00-zz-not-a-trace-01");

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.header("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
	}

	private Optional<Event> eventOf(String callId, String type) {
		return events.after(0, 10_000)
			.stream()
			.map(StoredEvent::event)
			.filter((event) -> callId.equals(event.subject()) && type.equals(event.type()))
			.findFirst();
	}

	private static String randomHex(int bytes) {
		byte[] random = new byte[bytes];
		ThreadLocalRandom.current().nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

	/** What an OTLP collector would receive. */
	static final class CollectedSpans implements SpanExporter {

		private final List<SpanData> spans = new CopyOnWriteArrayList<>();

		List<SpanData> inTrace(String traceId) {
			return spans.stream().filter((span) -> span.getTraceId().equals(traceId)).toList();
		}

		SpanData named(String traceId, Predicate<SpanData> which) {
			return inTrace(traceId).stream().filter(which).findFirst().orElseThrow(
					() -> new AssertionError("no such span in " + inTrace(traceId)));
		}

		@Override
		public CompletableResultCode export(Collection<SpanData> batch) {
			spans.addAll(batch);
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Collector {

		@Bean
		CollectedSpans collectedSpans() {
			return new CollectedSpans();
		}

	}

}
