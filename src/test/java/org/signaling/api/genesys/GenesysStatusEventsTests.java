package org.signaling.api.genesys;

import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.events.Event;
import org.signaling.api.events.EventTypes;
import org.signaling.api.shared.LeadershipChanged;
import org.signaling.api.shared.ViewRefreshed;
import org.signaling.api.testsupport.FeatureControllerTest;
import org.signaling.api.testsupport.FeatureSliceTest;
import org.signaling.api.testsupport.FixedLeadership;
import org.signaling.api.testsupport.InMemoryEventLog;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code genesys.up} and {@code genesys.down} follow Kamailio's probes; "not probed yet" announces nothing; each
 * leader's term starts from the server's latest event in the log.
 */
@FeatureSliceTest(GenesysStatusController.class)
class GenesysStatusEventsTests extends FeatureControllerTest {

	@Autowired
	GenesysStatusEvents genesysEvents;

	@Autowired
	InMemoryEventLog events;

	@Autowired
	FixedLeadership leadership;

	@AfterEach
	void leadAgain() {
		leadership.set(true);
	}

	@Test
	void upAndDownAreAnnouncedOnChangeOnly() {
		kamailio.probe(1, "sip:192.168.210.81:5060", "AX");
		refreshed();
		kamailio.reset();
		kamailio.probe(1, "sip:192.168.210.81:5060", "AP");
		refreshed();
		events.clear();

		refreshed();
		kamailio.reset();
		kamailio.probe(1, "sip:192.168.210.81:5060", "IP");
		refreshed();
		kamailio.reset();
		kamailio.probe(1, "sip:192.168.210.81:5060", "AP");
		refreshed();

		assertThat(events.all()).extracting(Event::type)
			.containsExactly(EventTypes.GENESYS_DOWN, EventTypes.GENESYS_UP);
		assertThat(events.all().get(0).data()).containsEntry("status", "unreachable")
			.containsEntry("server", "192.168.210.81:5060");
	}

	@Test
	void aServerNeverAnnouncedIsAnnouncedAtItsFirstVerdictAndANewTermRepeatsNothing() {
		events.clear();
		kamailio.reset();
		kamailio.probe(1, "sip:192.168.210.81:5060", "AP");
		genesysEvents.onLeadershipChanged(new LeadershipChanged(true));

		// No replica leads while the server stops answering.
		leadership.set(false);
		genesysEvents.onLeadershipChanged(new LeadershipChanged(false));
		kamailio.reset();
		kamailio.probe(1, "sip:192.168.210.81:5060", "IP");
		refreshed();
		assertThat(events.all()).extracting(Event::type).containsExactly(EventTypes.GENESYS_UP);

		leadership.set(true);
		genesysEvents.onLeadershipChanged(new LeadershipChanged(true));
		genesysEvents.onLeadershipChanged(new LeadershipChanged(true));
		refreshed();

		assertThat(events.all()).extracting(Event::type)
			.containsExactly(EventTypes.GENESYS_UP, EventTypes.GENESYS_DOWN);
	}

	private void refreshed() {
		genesysEvents.onViewRefreshed(new ViewRefreshed(ViewRefreshed.DISPATCHER, Instant.now()));
	}

}
