package org.signaling.api.kamailio.internal;

import java.time.Duration;
import java.time.Instant;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.signaling.api.dn.Registration;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.ComponentHealth;
import org.signaling.api.testsupport.MutableClock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.signaling.api.kamailio.internal.KamailioRpcClientTests.okJson;

/** The live view: refreshed from real Kamailio answers, refused when stale, recovered without a restart. */
class KamailioStateViewTests {

	@RegisterExtension
	static WireMockExtension kamailio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));

	private KamailioStateView view;

	private KamailioHealthIndicator health;

	@BeforeEach
	void setUp() {
		var properties = KamailioTestSupport.properties(kamailio.baseUrl() + "/RPC");
		view = new KamailioStateView(KamailioTestSupport.client(properties), properties, clock,
				new SimpleMeterRegistry());
		health = new KamailioHealthIndicator(view, properties);
	}

	@Test
	void refusesToAnswerBeforeTheFirstRefresh() {
		assertThatThrownBy(view::registrations).isInstanceOf(BackendUnavailableException.class)
			.hasMessage("Kamailio unreachable");
		assertThat(health.componentHealth().status()).isEqualTo(ComponentHealth.Status.DOWN);
	}

	@Test
	void servesRegistrationsDialogsAndProbesFromOneRefresh() {
		stubKamailio("ul.dump-two-registered.json", "dlg.list-two-confirmed.json", "dispatcher.list-up.json");

		view.refresh();

		assertThat(view.registrations().value().all()).extracting(Registration::dn).containsExactly("5001", "5002");
		assertThat(view.activeCalls().value().count()).isEqualTo(2);
		assertThat(view.dispatcherSets().value().get(1)).hasSize(1);
		assertThat(view.registrations().observedAt()).isEqualTo(clock.instant());
		assertThat(health.componentHealth().status()).isEqualTo(ComponentHealth.Status.UP);
	}

	@Test
	void readsNeverReachKamailio() {
		stubKamailio("ul.dump-two-registered.json", "dlg.list-two-confirmed.json", "dispatcher.list-up.json");
		view.refresh();

		for (int i = 0; i < 500; i++) {
			view.registrations();
			view.activeCalls();
			view.dispatcherSets();
			health.componentHealth();
		}

		kamailio.verify(1, postRequestedFor(urlEqualTo("/RPC"))
			.withRequestBody(matchingJsonPath("$.method", WireMock.equalTo("ul.dump"))));
		kamailio.verify(3, postRequestedFor(urlEqualTo("/RPC")));
	}

	@Test
	void anUnchangedPartKeepsItsObjectSoThatAnswersBuiltFromItStayReady() {
		stubKamailio("ul.dump-two-registered.json", "dlg.list-two-confirmed.json", "dispatcher.list-up.json");
		view.refresh();
		var calls = view.activeCalls().value();
		var probes = view.dispatcherSets().value();

		clock.advance(Duration.ofSeconds(1));
		view.refresh();

		assertThat(view.activeCalls().value()).isSameAs(calls);
		assertThat(view.dispatcherSets().value()).isSameAs(probes);
		assertThat(view.activeCalls().observedAt()).as("yet as of this refresh").isEqualTo(clock.instant());

		stubKamailio("ul.dump-two-registered.json", "dlg.list-two-confirmed-one-early.json", "dispatcher.list-up.json");
		view.refresh();
		assertThat(view.activeCalls().value()).isNotSameAs(calls);
	}

	@Test
	void keepsServingTheLastViewWithinTheStalenessBoundWhileKamailioFails() {
		stubKamailio("ul.dump-two-registered.json", "dlg.list-two-confirmed.json", "dispatcher.list-up.json");
		view.refresh();
		kamailio.resetAll();
		kamailio.stubFor(post("/RPC").willReturn(aResponse().withStatus(500)
			.withBody(KamailioFixtures.body("error-method-not-found.json"))));

		clock.advance(Duration.ofSeconds(3));
		view.refresh();

		assertThat(view.registrations().value().size()).isEqualTo(2);
		assertThat(view.registrations().age(clock)).isEqualTo(Duration.ofSeconds(3));
		assertThat(health.componentHealth().lastError()).contains("Method Not Found");
	}

	@Test
	void answersKamailioUnreachableOnceTheViewIsOlderThanTheBoundAndRecoversByItself() {
		stubKamailio("ul.dump-two-registered.json", "dlg.list-two-confirmed.json", "dispatcher.list-up.json");
		view.refresh();
		kamailio.resetAll();

		clock.advance(Duration.ofMillis(5_001));
		view.refresh();

		assertThatThrownBy(view::registrations).isInstanceOf(BackendUnavailableException.class);
		assertThatThrownBy(view::activeCalls).isInstanceOf(BackendUnavailableException.class);
		assertThat(health.componentHealth().status()).isEqualTo(ComponentHealth.Status.DOWN);

		stubKamailio("ul.dump-empty.json", "dlg.list-empty.json", "dispatcher.list-down.json");
		view.refresh();

		assertThat(view.registrations().value().size()).isZero();
		assertThat(view.activeCalls().value().count()).isZero();
		assertThat(health.componentHealth().status()).isEqualTo(ComponentHealth.Status.UP);
		assertThat(health.componentHealth().lastError()).as("kept for the operator after recovery").isNotNull();
	}

	@Test
	void aDispatcherFailureDoesNotHideRegistrations() {
		stubKamailio("ul.dump-two-registered.json", "dlg.list-two-confirmed.json", null);

		view.refresh();

		assertThat(view.registrations().value().size()).isEqualTo(2);
		assertThatThrownBy(view::dispatcherSets).isInstanceOf(BackendUnavailableException.class);
	}

	private void stubKamailio(String ulDump, String dlgList, String dispatcherList) {
		stubMethod("ul.dump", ulDump);
		stubMethod("dlg.list", dlgList);
		if (dispatcherList != null) {
			stubMethod("dispatcher.list", dispatcherList);
		}
		else {
			kamailio.stubFor(post("/RPC").withRequestBody(matchingJsonPath("$.method",
					WireMock.equalTo("dispatcher.list")))
				.willReturn(aResponse().withStatus(500)
						.withBody(KamailioFixtures.body("error-method-not-found.json"))));
		}
	}

	private void stubMethod(String method, String fixture) {
		kamailio.stubFor(post("/RPC")
			.withRequestBody(matchingJsonPath("$.method", WireMock.equalTo(method)))
			.willReturn(okJson(fixture)));
	}

}
