package org.signaling.api.kamailio.internal;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.signaling.api.dn.Reachability;
import org.signaling.api.dn.RegisteredContact;
import org.signaling.api.dn.Registration;
import org.signaling.api.dn.Registrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UsrlocDumpReaderTests {

	private static final Instant OBSERVED = Instant.ofEpochSecond(1_795_669_900);

	private final UsrlocDumpReader reader = new UsrlocDumpReader("location");

	@Test
	void readsEveryRegisteredDnInDnOrder() {
		Registrations registrations = reader.read(KamailioFixtures.result("ul.dump-udp-and-websocket.json"), OBSERVED);

		assertThat(registrations.all()).extracting(Registration::dn).containsExactly("5001", "5002", "5003", "5004");
	}

	@Test
	void readsUdpContactWithRemainingExpiryAsInstant() {
		Registrations registrations = reader.read(KamailioFixtures.result("ul.dump-udp-and-websocket.json"), OBSERVED);

		RegisteredContact contact = registrations.find("5002").orElseThrow().contacts().get(0);
		assertThat(contact.uri()).isEqualTo("sip:5002@127.0.0.1:5092");
		assertThat(contact.transport()).isEqualTo("udp");
		assertThat(contact.userAgent()).isEqualTo("SIPp-agent-5002");
		// Kamailio reports Expires as seconds remaining (3422 in this dump), not as a timestamp.
		assertThat(contact.expiresAt()).isEqualTo(OBSERVED.plusSeconds(3422));
		assertThat(contact.received()).as("\"[not set]\" means absent").isNull();
	}

	@Test
	void readsBrowserContactAsWebSocketAlthoughItArrivedOverTcp() {
		Registrations registrations = reader.read(KamailioFixtures.result("ul.dump-udp-and-websocket.json"), OBSERVED);

		RegisteredContact contact = registrations.find("5004").orElseThrow().contacts().get(0);
		assertThat(contact.transport()).isEqualTo("ws");
		assertThat(contact.received()).isEqualTo("sip:127.0.0.1:50728;transport=ws");
	}

	@Test
	void aRegistrationWithHostileValuesIsBoundedAndOneWhoseUserIsNotADnIsNotListed() {
		String dump = """
				{"Domains":[{"Domain":{"Domain":"location","AoRs":[
				  {"Info":{"AoR":"%s","Contacts":[{"Contact":{"Address":"sip:x@h","Expires":60}}]}},
				  {"Info":{"AoR":"<script>","Contacts":[{"Contact":{"Address":"sip:x@h","Expires":60}}]}},
				  {"Info":{"AoR":"5003","Contacts":[{"Contact":{"Address":"sip:5003@h;transport=%s\\u0000","Expires":60,
				    "User-Agent":"%s\\r\\nX-Forged: 1","Received":"sip:%s"}}]}}]}}]}""".formatted("9".repeat(300),
				"t".repeat(40), "U".repeat(5000), "r".repeat(5000));

		Registrations registrations = reader.read(KamailioFixtures.JSON.readTree(dump), OBSERVED);

		assertThat(registrations.all()).extracting(Registration::dn).containsExactly("5003");
		RegisteredContact contact = registrations.find("5003").orElseThrow().contacts().get(0);
		assertThat(contact.uri()).hasSizeLessThanOrEqualTo(256).matches("[\\x21-\\x7e]+");
		assertThat(contact.transport()).isEqualTo("other");
		assertThat(contact.userAgent()).hasSize(256).doesNotContain("\r", "\n");
		assertThat(contact.received()).hasSize(256);
	}

	@Test
	void aContactSilentForTheBoundIsUnreachableAndAWebSocketContactIsJudgedByItsConnection() {
		String dump = """
				{"Domains":[{"Domain":{"Domain":"location","AoRs":[
				  {"Info":{"AoR":"5001","Contacts":[{"Contact":{"Address":"sip:5001@h","Expires":60,
				    "Last-Keepalive":%d}}]}},
				  {"Info":{"AoR":"5002","Contacts":[{"Contact":{"Address":"sip:5002@h","Expires":60,
				    "Last-Keepalive":%d}}]}},
				  {"Info":{"AoR":"5003","Contacts":[{"Contact":{"Address":"sip:5003@h","Expires":60,
				    "Last-Keepalive":%d}},{"Contact":{"Address":"sip:5003@x.invalid;transport=ws","Expires":60,
				    "Last-Keepalive":1}}]}},
				  {"Info":{"AoR":"5004","Contacts":[{"Contact":{"Address":"sip:5004@h","Expires":60,
				    "Last-Keepalive":"soon"}}]}}]}}]}""".formatted(OBSERVED.getEpochSecond() - 29,
				OBSERVED.getEpochSecond() - 30, OBSERVED.getEpochSecond() - 3600);
		UsrlocDumpReader judging = new UsrlocDumpReader("location", new Reachability(Duration.ofSeconds(30)));

		Registrations registrations = judging.read(KamailioFixtures.JSON.readTree(dump), OBSERVED);

		assertThat(registrations.find("5001").orElseThrow().reachable()).as("answered 29 s ago").isTrue();
		assertThat(registrations.find("5002").orElseThrow().reachable()).as("silent for 30 s").isFalse();
		assertThat(registrations.find("5003").orElseThrow().reachable())
			.as("WebSocket contacts get no probe: there while their connection is").isTrue();
		assertThat(registrations.find("5004").orElseThrow().reachable()).as("no time to judge by").isTrue();
		Registrations unjudged = new UsrlocDumpReader("location", new Reachability(Duration.ZERO))
			.read(KamailioFixtures.JSON.readTree(dump), OBSERVED);
		assertThat(unjudged.find("5002").orElseThrow().reachable()).as("reachability off").isTrue();
	}

	@Test
	void readsEmptyLocationTable() {
		assertThat(reader.read(KamailioFixtures.result("ul.dump-empty.json"), OBSERVED).size()).isZero();
	}

	@Test
	void ignoresOtherUsrlocTables() {
		UsrlocDumpReader otherTable = new UsrlocDumpReader("location_attrs");

		assertThat(otherTable.read(KamailioFixtures.result("ul.dump-two-registered.json"), OBSERVED).size()).isZero();
	}

	@Test
	void leavesOutContactsKamailioReportsAsExpiredAndKeepsPermanentOnes() {
		String dump = """
				{"Domains":[{"Domain":{"Domain":"location","AoRs":[
				 {"Info":{"AoR":"5001","Contacts":[{"Contact":{"Address":"sip:5001@10.0.0.1",\
				"Expires":"expired","Socket":"udp:1.2.3.4:5060"}}]}},
				 {"Info":{"AoR":"5002@example.com","Contacts":[{"Contact":{"Address":"sip:5002@10.0.0.2;transport=TCP",\
				"Expires":"permanent","Socket":"udp:1.2.3.4:5060"}}]}}
				]}}]}""";

		Registrations registrations = reader.read(KamailioFixtures.JSON.readTree(dump), OBSERVED);

		assertThat(registrations.find("5001")).as("only contact expired: not registered").isEmpty();
		Registration permanent = registrations.find("5002").orElseThrow();
		assertThat(permanent.aor()).isEqualTo("5002@example.com");
		assertThat(permanent.contacts().get(0).expiresAt()).isNull();
		assertThat(permanent.contacts().get(0).transport()).isEqualTo("tcp");
	}

	@Test
	void rejectsAnswerWithoutDomains() {
		assertThatThrownBy(() -> reader.read(KamailioFixtures.JSON.readTree("{}"), OBSERVED))
			.isInstanceOf(KamailioRpcException.class)
			.hasMessageContaining("ul.dump");
	}

}
