package org.signaling.api.kamailio.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.signaling.api.dn.Reachability;
import org.signaling.api.dn.RegisteredContact;
import org.signaling.api.dn.Registration;
import org.signaling.api.dn.Registrations;
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

/**
 * Registrations read at the cost of what changed: with pushes flowing, only the AoRs they name are read back
 * ({@code ul.lookup}); the whole table ({@code ul.dump}) when pushes cannot be trusted, and in the background at the
 * resync pace. Real Kamailio 5.6.3 answers behind WireMock.
 */
class RegistrationSourceTests {

	private static final Duration RESYNC = Duration.ofSeconds(30);

	@RegisterExtension
	static WireMockExtension kamailio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));

	/** Background full reads, run when a test says so. */
	private final List<Runnable> resyncs = new ArrayList<>();

	private RegistrationSource source;

	@BeforeEach
	void setUp() {
		KamailioRpcClient rpc = KamailioTestSupport.client(KamailioTestSupport.properties(kamailio.baseUrl() + "/RPC"));
		source = new RegistrationSource(rpc::call, "location", Reachability.DEFAULT, RESYNC, clock, resyncs::add);
		stub("ul.dump", "ul.dump-two-registered.json");
		stub("stats.fetch", "stats.fetch-usrloc-two-registered.json");
	}

	@Test
	void readsTheWholeTableEveryCycleWhilePushesDoNotFlow() {
		source.read(clock.instant(), true);
		source.read(clock.instant(), true);

		assertThat(source.read(clock.instant(), true).all()).extracting(Registration::dn)
			.containsExactly("5001", "5002");
		assertThat(calls("ul.dump")).isEqualTo(3);
	}

	@Test
	void aCycleWithNothingPushedOnlyAsksHowManyAorsThereAreAndKeepsTheSameAnswer() {
		source.pushConnected(true);
		Registrations first = source.read(clock.instant(), true);

		clock.advance(Duration.ofSeconds(1));
		Registrations second = source.read(clock.instant(), true);

		assertThat(second).as("the same object: answers built from it stay ready").isSameAs(first);
		assertThat(calls("ul.dump")).isEqualTo(1);
		kamailio.verify(1, postRequestedFor(urlEqualTo("/RPC"))
			.withRequestBody(matchingJsonPath("$.method", WireMock.equalTo("stats.fetch")))
			.withRequestBody(matchingJsonPath("$.params[0]", WireMock.equalTo("usrloc:"))));
		kamailio.verify(2, postRequestedFor(urlEqualTo("/RPC")));
	}

	@Test
	void anAorThatCameWithoutAPushIsNoticedByItsCountAndTheTableReadInTheBackground() {
		source.pushConnected(true);
		source.read(clock.instant(), true);
		stub("stats.fetch", "stats.fetch-usrloc-three-registered.json");

		source.read(clock.instant(), true);
		assertThat(resyncs).as("one differing count may be a push on its way").isEmpty();

		clock.advance(RegistrationSource.MIN_RESYNC_GAP);
		source.read(clock.instant(), true);
		assertThat(resyncs).as("the same difference a cycle later: read it all").hasSize(1);
	}

	@Test
	void anAorWhoseContactsAllExpiredLeavesTheViewWhileKamailioStillCountsIt() {
		source.pushConnected(true);
		source.read(clock.instant(), true);
		stubLookupFault("ul.lookup-no-contacts.json");

		source.pushed("5002");
		Registrations after = source.read(clock.instant(), false);
		source.read(clock.instant(), true);

		assertThat(after.all()).extracting(Registration::dn).containsExactly("5001");
		assertThat(resyncs).as("the count (2, with 5002 until usrloc purges it) still matches").isEmpty();
		assertThat(calls("ul.lookup")).as("looked up again by the next cycle: usrloc pushes before it purges")
			.isEqualTo(2);

		stubLookupFault("ul.lookup-not-found-5999.json");
		source.read(clock.instant(), true);
		source.read(clock.instant(), true);
		assertThat(calls("ul.lookup")).as("until it is gone").isEqualTo(3);
	}

	@Test
	void aPushedAorIsReadBackAloneAndItsNewStateServed() {
		source.pushConnected(true);
		source.read(clock.instant(), true);
		stubLookup("5001", "ul.lookup-5001-bare-user.json");
		clock.advance(Duration.ofSeconds(40));
		Instant cycle = clock.instant();

		source.pushed("5001");
		Registrations after = source.read(cycle, false);

		RegisteredContact contact = after.find("5001").orElseThrow().contacts().get(0);
		assertThat(contact.expiresAt()).as("the lookup's Expires, from this cycle").isEqualTo(cycle.plusSeconds(3598));
		assertThat(after.find("5002")).isPresent();
		assertThat(calls("ul.lookup")).isEqualTo(1);
		assertThat(calls("ul.dump")).isEqualTo(1);
		assertThat(calls("stats.fetch")).as("the lookup showed that Kamailio answers: no count asked").isZero();
	}

	@Test
	void aPushedAorKamailioNoLongerHasIsRemoved() {
		source.pushConnected(true);
		source.read(clock.instant(), true);
		stubLookupFault("ul.lookup-not-found-5999.json");

		source.pushed("5002");

		assertThat(source.read(clock.instant(), true).all()).extracting(Registration::dn).containsExactly("5001");
	}

	@Test
	void aLookupThatFailsIsDoneAgainNextCycle() {
		source.pushConnected(true);
		source.read(clock.instant(), true);
		stubLookupFault("error-method-not-found.json");
		source.pushed("5001");

		assertThatThrownBy(() -> source.read(clock.instant(), true)).isInstanceOf(KamailioRpcException.class);

		stubLookup("5001", "ul.lookup-5001-bare-user.json");
		clock.advance(Duration.ofSeconds(1));
		assertThat(expiryOf5001(source.read(clock.instant(), true))).isEqualTo(clock.instant().plusSeconds(3598));
	}

	@Test
	void whatACycleLookedUpBeforeItFailedIsServedByTheNextOne() {
		source.pushConnected(true);
		source.read(clock.instant(), true);
		clock.advance(Duration.ofSeconds(40));
		stubLookup("5001", "ul.lookup-5001-bare-user.json");
		kamailio.stubFor(post("/RPC").withRequestBody(matchingJsonPath("$.method", WireMock.equalTo("stats.fetch")))
			.willReturn(aResponse().withStatus(500).withBody(KamailioFixtures.body("error-method-not-found.json"))));
		source.pushed("5001");
		assertThatThrownBy(() -> source.read(clock.instant(), true)).isInstanceOf(KamailioRpcException.class);

		stub("stats.fetch", "stats.fetch-usrloc-two-registered.json");
		Registrations next = source.read(clock.instant(), true);

		assertThat(calls("ul.lookup")).as("done once, in the cycle that failed").isEqualTo(1);
		assertThat(expiryOf5001(next)).isEqualTo(clock.instant().plusSeconds(3598));
	}

	@Test
	void readsTheWholeTableWhenAPushNamesNoAorWhenPushesWereLostOrWhenTooManyAorsChanged() {
		source.pushConnected(true);
		source.read(clock.instant(), true);

		source.pushedWithoutAor();
		source.read(clock.instant(), true);
		assertThat(calls("ul.dump")).isEqualTo(2);

		source.pushConnected(false);
		source.pushConnected(true);
		source.read(clock.instant(), true);
		assertThat(calls("ul.dump")).isEqualTo(3);

		for (int i = 0; i <= RegistrationSource.MAX_LOOKUPS_PER_CYCLE; i++) {
			source.pushed(Integer.toString(6000 + i));
		}
		source.read(clock.instant(), true);
		assertThat(calls("ul.dump")).isEqualTo(4);
		assertThat(calls("ul.lookup")).isZero();
	}

	@Test
	void aContactPastItsExpiryIsLookedUpEvenWithoutAPush() {
		source.pushConnected(true);
		source.read(clock.instant(), true);
		stubLookupFault("ul.lookup-not-found-5999.json");

		clock.advance(Duration.ofSeconds(3599));

		assertThat(source.read(clock.instant(), true).size()).isZero();
		assertThat(calls("ul.lookup")).as("both AoRs' contacts expired").isEqualTo(2);
	}

	@Test
	void theWholeTableIsReadInTheBackgroundAtTheResyncPaceAndCannotUndoANewerLookup() {
		source.pushConnected(true);
		source.read(clock.instant(), true);
		clock.advance(RESYNC);
		source.read(clock.instant(), true);
		assertThat(resyncs).as("one background full read started").hasSize(1);
		assertThat(calls("ul.dump")).isEqualTo(1);

		// 5001 re-registers and is looked up while the background read is under way; the read ends after that
		stubLookup("5001", "ul.lookup-5001-bare-user.json");
		clock.advance(Duration.ofSeconds(1));
		source.pushed("5001");
		source.read(clock.instant(), true);
		clock.advance(Duration.ofSeconds(1));
		resyncs.get(0).run();
		assertThat(calls("ul.dump")).isEqualTo(2);

		clock.advance(Duration.ofSeconds(1));
		Registrations merged = source.read(clock.instant(), true);

		assertThat(calls("ul.lookup")).as("looked up again after the merge").isEqualTo(2);
		assertThat(expiryOf5001(merged)).as("as of this cycle's lookup").isEqualTo(clock.instant().plusSeconds(3598));
		assertThat(merged.find("5002").orElseThrow().contacts().get(0).expiresAt())
			.as("5002 as the background read saw it").isEqualTo(clock.instant().minusSeconds(1).plusSeconds(3598));
	}

	private static Instant expiryOf5001(Registrations registrations) {
		return registrations.find("5001").orElseThrow().contacts().get(0).expiresAt();
	}

	private void stub(String method, String fixture) {
		kamailio.stubFor(post("/RPC").withRequestBody(matchingJsonPath("$.method", WireMock.equalTo(method)))
			.willReturn(okJson(fixture)));
	}

	private void stubLookup(String aor, String fixture) {
		kamailio.stubFor(post("/RPC").withRequestBody(matchingJsonPath("$.method", WireMock.equalTo("ul.lookup")))
			.withRequestBody(matchingJsonPath("$.params[0]", WireMock.equalTo("location")))
			.withRequestBody(matchingJsonPath("$.params[1]", WireMock.equalTo(aor)))
			.willReturn(okJson(fixture)));
	}

	/** Every {@code ul.lookup} answers this fault (Kamailio answers faults with HTTP 500). */
	private void stubLookupFault(String fixture) {
		kamailio.stubFor(post("/RPC").withRequestBody(matchingJsonPath("$.method", WireMock.equalTo("ul.lookup")))
			.willReturn(aResponse().withStatus(500).withBody(KamailioFixtures.body(fixture))));
	}

	private int calls(String method) {
		return kamailio.countRequestsMatching(postRequestedFor(urlEqualTo("/RPC"))
			.withRequestBody(matchingJsonPath("$.method", WireMock.equalTo(method)))
			.build()).getCount();
	}

}
