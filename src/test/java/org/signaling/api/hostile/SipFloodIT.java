package org.signaling.api.hostile;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.signaling.api.testsupport.FreePorts;
import org.signaling.api.testsupport.KamailioProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kamailio.cfg's flood limit (pike) on a real Kamailio with a small density: an untrusted address that sends more than
 * {@link #DENSITY} requests in 2 s has the rest dropped, while another address and a trusted peer are still answered.
 */
class SipFloodIT {

	/** Requests per address per 2 s (kamailio.cfg's PIKE_DENSITY; the product's default is 64). */
	static final int DENSITY = 8;

	static final int FLOOD = 200;

	static final KamailioProcess KAMAILIO = KamailioProcess.start("127.0.0.1:" + FreePorts.udp(),
			"PIKE_DENSITY=" + DENSITY);

	@AfterAll
	static void stopKamailio() {
		KAMAILIO.close();
	}

	@Test
	void aFloodingAddressIsCutOffWhileOthersAreStillAnswered() {
		try (RawSip flooder = new RawSip(KAMAILIO.listenIp(), KAMAILIO.sipPort());
				RawSip neighbour = new RawSip(KAMAILIO.listenIp(), KAMAILIO.sipPort(), "127.0.0.3");
				RawSip asterisk = new RawSip(KAMAILIO.listenIp(), KAMAILIO.sipPort(),
						KamailioProcess.TRUSTED_PEER_IP)) {
			flooder.flood("5001", FLOOD);

			// after the flood, another untrusted address is challenged as usual, and the trusted peer is routed (404:
			// nobody registered)
			String challenged = neighbour.request("OPTIONS",
					"sip:5001@" + KAMAILIO.listenIp() + ":" + KAMAILIO.sipPort(),
					"<sip:5001@127.0.0.1>;tag=n1", "<sip:5001@127.0.0.1>", "neighbour-1@127.0.0.3", List.of(), null);
			assertThat(challenged).isNotNull();
			assertThat(RawSip.statusOf(challenged)).isEqualTo(407);
			String routed = asterisk.request("OPTIONS", "sip:5001@" + KAMAILIO.listenIp() + ":" + KAMAILIO.sipPort(),
					"<sip:genesys@127.0.0.2>;tag=t1", "<sip:5001@127.0.0.1>", "trusted-1@127.0.0.2", List.of(), null);
			assertThat(routed).isNotNull();
			assertThat(RawSip.statusOf(routed)).isEqualTo(404);

			// the flooder's answers stop coming well short of its requests: pike dropped the rest
			AtomicInteger lastSeen = new AtomicInteger(-1);
			await("the flooder's answers settle (no new one for a second)").atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(100))
				.during(Duration.ofSeconds(1))
				.until(flooder::responsesReceived, (count) -> count == lastSeen.getAndSet(count));
			assertThat(flooder.responsesReceived()).as("answers to %d requests", FLOOD)
				.isPositive()
				.isLessThanOrEqualTo(4 * DENSITY);
		}
	}

}
