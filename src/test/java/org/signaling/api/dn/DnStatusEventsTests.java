package org.signaling.api.dn;

import java.util.List;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.call.CallState;
import org.signaling.api.events.Event;
import org.signaling.api.events.EventTypes;
import org.signaling.api.shared.LeadershipChanged;
import org.signaling.api.testsupport.FeatureControllerTest;
import org.signaling.api.testsupport.FeatureSliceTest;
import org.signaling.api.testsupport.FixedLeadership;
import org.signaling.api.testsupport.InMemoryEventLog;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.signaling.api.testsupport.FeatureTestConfiguration.NOW;

/**
 * A DN's changes as events: registered, busy, available, unregistered; each leader's term starts from what the log
 * last announced.
 */
@FeatureSliceTest(DnController.class)
class DnStatusEventsTests extends FeatureControllerTest {

	@Autowired
	DnStatusEvents dnEvents;

	@Autowired
	InMemoryEventLog events;

	@Autowired
	FixedLeadership leadership;

	@BeforeEach
	void baseline() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp");
		dnEvents.sync();
		events.clear();
	}

	@AfterEach
	void leadAgain() {
		leadership.set(true);
	}

	@Test
	void aStateAlreadyAnnouncedIsNotAnnouncedAgainAndChangesAnnounceThemselves() {
		dnEvents.sync();
		assertThat(events.all()).isEmpty();

		kamailio.register("5002", "sip:5002@10.1.1.6:5060", "ws");
		dnEvents.sync();
		kamailio.call("c1@pc", "5001", "5002", CallState.RINGING, NOW, null);
		dnEvents.sync();
		kamailio.hangUpAll();
		dnEvents.sync();

		assertThat(events.all()).extracting(Event::type, Event::subject).containsExactly(
				Tuple.tuple(EventTypes.DN_REGISTERED, "5002"),
				Tuple.tuple(EventTypes.DN_BUSY, "5001"),
				Tuple.tuple(EventTypes.DN_BUSY, "5002"),
				Tuple.tuple(EventTypes.DN_AVAILABLE, "5001"),
				Tuple.tuple(EventTypes.DN_AVAILABLE, "5002"));
		assertThat(events.ofType(EventTypes.DN_REGISTERED).get(0).data())
			.containsEntry("sip_uri", "sip:5002@192.168.210.54")
			.containsEntry("status", "available");
	}

	@Test
	void aDnWhoseContactsStopAnsweringIsAnnouncedUnreachableThenReachableWhenTheyAnswerAgain() {
		kamailio.answering("5001", false);
		dnEvents.sync();
		kamailio.answering("5001", true);
		dnEvents.sync();

		assertThat(events.all()).extracting(Event::type, Event::subject).containsExactly(
				Tuple.tuple(EventTypes.DN_UNREACHABLE, "5001"), Tuple.tuple(EventTypes.DN_REACHABLE, "5001"));
		assertThat(events.all().get(0).data()).containsEntry("status", "unreachable")
			.containsEntry("reachable", false)
			.containsEntry("registered", true);
		assertThat(events.all().get(1).data()).containsEntry("status", "available").containsEntry("reachable", true);
	}

	@Test
	void aNewTermDoesNotAnnounceAgainADnAlreadyAnnouncedUnreachable() {
		kamailio.answering("5001", false);
		dnEvents.sync();

		dnEvents.onLeadershipChanged(new LeadershipChanged(true));

		assertThat(events.all()).extracting(Event::type).containsExactly(EventTypes.DN_UNREACHABLE);
	}

	@Test
	void aDnThatIsNoLongerRegisteredIsUnregistered() {
		kamailio.reset();

		dnEvents.sync();

		List<Event> unregistered = events.ofType(EventTypes.DN_UNREGISTERED);
		assertThat(unregistered).singleElement().satisfies((event) -> {
			assertThat(event.subject()).isEqualTo("5001");
			assertThat(event.data()).containsEntry("status", "offline");
		});
	}

	@Test
	void nothingIsAnnouncedWhileKamailioCannotBeAsked() {
		kamailio.unreachable();

		dnEvents.sync();

		assertThat(events.all()).isEmpty();
	}

	@Test
	void aNewTermAnnouncesWhatChangedWhileNoReplicaLedAndNothingAlreadyAnnounced() {
		// A term on a log that never heard of 5001: it is announced.
		dnEvents.onLeadershipChanged(new LeadershipChanged(true));
		kamailio.register("5003", "sip:5003@10.1.1.7:5060", "udp");
		dnEvents.sync();
		assertThat(events.all()).extracting(Event::type, Event::subject).containsExactly(
				Tuple.tuple(EventTypes.DN_REGISTERED, "5001"), Tuple.tuple(EventTypes.DN_REGISTERED, "5003"));

		// This replica stops leading; while no replica leads, 5001 leaves and 5002 comes.
		leadership.set(false);
		dnEvents.onLeadershipChanged(new LeadershipChanged(false));
		kamailio.reset();
		kamailio.register("5003", "sip:5003@10.1.1.7:5060", "udp");
		kamailio.register("5002", "sip:5002@10.1.1.6:5060", "ws");
		dnEvents.sync();
		assertThat(events.all()).hasSize(2);

		// The next term (here, or on any replica) starts from the log, not from what it sees first.
		leadership.set(true);
		dnEvents.onLeadershipChanged(new LeadershipChanged(true));

		assertThat(events.all().subList(2, events.all().size())).extracting(Event::type, Event::subject)
			.containsExactlyInAnyOrder(Tuple.tuple(EventTypes.DN_UNREGISTERED, "5001"),
					Tuple.tuple(EventTypes.DN_REGISTERED, "5002"));
		assertThat(events.ofType(EventTypes.DN_UNREGISTERED).get(0).data())
			.containsEntry("sip_uri", "sip:5001@192.168.210.54");
	}

}
