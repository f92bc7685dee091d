package org.signaling.api.kamailio.internal;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.signaling.api.call.CallsProperties;
import org.signaling.api.dn.DnProperties;
import org.signaling.api.dn.SipUris;
import org.signaling.api.kamailio.KamailioProperties;
import org.signaling.api.shared.ChildSpans;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the Kamailio adapter: the JSON-RPC client, the live view, the push events that refresh it early, call
 * hang-up, click-to-dial (dlg.bridge_dlg), its health component.
 */
@Configuration(proxyBeanMethods = false)
class KamailioConfiguration {

	@Bean
	KamailioRpcClient kamailioRpcClient(RestClient.Builder builder, JsonMapper jsonMapper,
			KamailioProperties properties, MeterRegistry meters, ChildSpans spans) {
		// HTTP/1.1 only: the JDK client would otherwise offer an h2c upgrade that Kamailio's xhttp does not speak.
		HttpClient httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(properties.connectTimeout())
			.build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
		requestFactory.setReadTimeout(properties.readTimeout());
		List<KamailioRpcClient.Node> nodes = properties.rpcEndpoints()
			.stream()
			.map((url) -> new KamailioRpcClient.Node(KamailioProperties.display(url),
					builder.clone()
						.requestFactory(requestFactory)
						.baseUrl(url.toString())
						// The client's own span (ChildSpans) times each RPC within a trace; an HTTP client
						// observation would also start a new trace for each of the view's reads, every second.
						.observationRegistry(ObservationRegistry.NOOP)
						.build()))
			.toList();
		return new KamailioRpcClient(nodes, jsonMapper, meters, spans);
	}

	@Bean
	KamailioStateView kamailioStateView(KamailioRpcClient rpc, KamailioProperties properties, DnProperties dn,
			Clock clock, MeterRegistry meters, ApplicationEventPublisher events) {
		return new KamailioStateView(rpc, properties, dn.reachability(), clock, meters, events::publishEvent);
	}

	/** Bare DNs are at the registrar's SIP domain. */
	@Bean
	SipUris sipUris(KamailioProperties properties) {
		return new SipUris(properties.sipDomain());
	}

	@Bean
	ByeRetries kamailioByeRetries(KamailioRpcClient rpc, Clock clock, MeterRegistry meters,
			ApplicationEventPublisher events) {
		return new ByeRetries(rpc, clock, meters, events::publishEvent, true);
	}

	@Bean
	KamailioDialogControl kamailioDialogControl(KamailioRpcClient rpc, KamailioStateView view, ByeRetries byeRetries,
			CallsProperties calls, Clock clock) {
		return new KamailioDialogControl(rpc, view, byeRetries, calls.hangupTimeout(), clock);
	}

	@Bean
	KamailioCallOriginator kamailioCallOriginator(KamailioRpcClient rpc, KamailioProperties properties) {
		return new KamailioCallOriginator(rpc, properties);
	}

	@Bean
	EvapiListeners kamailioEvapiListeners(KamailioStateView view, KamailioProperties properties,
			JsonMapper jsonMapper, MeterRegistry meters) {
		return new EvapiListeners(properties.evapiEndpoints(), view, jsonMapper, properties.connectTimeout(), meters);
	}

	@Bean
	KamailioHealthIndicator kamailioHealthIndicator(KamailioStateView view, KamailioProperties properties,
			EvapiListeners push) {
		return new KamailioHealthIndicator(view, properties, push);
	}

}
