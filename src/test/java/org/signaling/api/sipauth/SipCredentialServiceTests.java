package org.signaling.api.sipauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.signaling.api.dn.DnAccessDeniedException;
import org.signaling.api.dn.DnDirectory;
import org.signaling.api.dn.DnNotFoundException;
import org.signaling.api.dn.DnSyntax;
import org.signaling.api.pages.AgentSipEndpoint;
import org.signaling.api.shared.CallerScope;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which DN gets credentials, and what they are: the service alone, with a fixed clock and a fake caller. */
class SipCredentialServiceTests {

	static final String SECRET = EphemeralCredentialsTests.SECRET;

	static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

	static final AgentSipEndpoint ENDPOINT = new AgentSipEndpoint("wss://sip.example.com:4443", "sip.example.com");

	static final DnDirectory DIRECTORY = DnDirectory.of("5001-5005");

	@Test
	void anAgentTokenGetsItsOwnDnsCredentialsValidForTheLifetime() throws Exception {
		SipCredentials issued = service(agent("5001"), DIRECTORY).issue(null);

		long expiresAt = NOW.plus(Duration.ofHours(12)).getEpochSecond();
		assertThat(issued.username()).isEqualTo(expiresAt + ":5001");
		assertThat(issued.password()).isEqualTo(EphemeralCredentialsTests.independentHmac(SECRET, issued.username()));
		assertThat(issued.expiresAt()).isEqualTo(expiresAt);
		assertThat(issued.realm()).isEqualTo("sip.example.com");
		assertThat(issued.websocketUrl()).isEqualTo("wss://sip.example.com:4443");
		assertThat(issued.dn()).isEqualTo("5001");
	}

	@Test
	void aKnownVector() {
		// expiry 1700000000 is now minus the lifetime: the example of EphemeralCredentialsTests
		SipCredentialService service = new SipCredentialService(
				new SipAuthProperties(SECRET, Duration.ofHours(12), null), ENDPOINT, DIRECTORY, agent("5001"),
				Clock.fixed(NOW.minus(Duration.ofHours(12)), ZoneOffset.UTC));

		assertThat(service.issue("5001").password()).isEqualTo(EphemeralCredentialsTests.OPENSSL_PASSWORD);
	}

	@Test
	void anAgentTokenMayNameItsOwnDnButNoOther() {
		SipCredentialService service = service(agent("5001"), DIRECTORY);

		assertThat(service.issue("5001").dn()).isEqualTo("5001");
		assertThatThrownBy(() -> service.issue("5002")).isInstanceOf(DnAccessDeniedException.class)
			.satisfies((ex) -> assertThat(((DnAccessDeniedException) ex).getBody().getDetail())
				.isEqualTo("Agent 5001 may only get SIP credentials for its own DN"));
	}

	@Test
	void aKeyNamesTheDnAndMustNameOne() {
		SipCredentialService service = service(key(), DIRECTORY);

		assertThat(service.issue("5003").dn()).isEqualTo("5003");
		assertThatThrownBy(() -> service.issue(null)).isInstanceOf(ErrorResponseException.class)
			.satisfies((ex) -> {
				assertThat(((ErrorResponseException) ex).getStatusCode().value()).isEqualTo(400);
				assertThat(((ErrorResponseException) ex).getBody().getDetail())
					.isEqualTo("Missing required parameter: dn");
			});
	}

	@Test
	void aMalformedDnIs400BeforeAnythingElse() {
		assertThatThrownBy(() -> service(key(), DIRECTORY).issue("50 01"))
			.isInstanceOf(DnSyntax.InvalidDnException.class);
		assertThatThrownBy(() -> service(agent("5001"), DIRECTORY).issue("5001\r\n"))
			.isInstanceOf(DnSyntax.InvalidDnException.class);
	}

	@Test
	void withADirectoryADnOutsideItGetsNoneWithoutOneAnyDnDoes() {
		assertThatThrownBy(() -> service(key(), DIRECTORY).issue("1003")).isInstanceOf(DnNotFoundException.class);
		assertThatThrownBy(() -> service(agent("6001"), DIRECTORY).issue(null)).isInstanceOf(DnNotFoundException.class);
		assertThat(service(key(), DnDirectory.of()).issue("1003").dn()).isEqualTo("1003");
	}

	@Test
	void aConfiguredRealmAndLifetimeAreUsed() {
		SipCredentialService service = new SipCredentialService(
				new SipAuthProperties(SECRET, Duration.ofMinutes(5), "agents.example.com"), ENDPOINT, DIRECTORY, key(),
				Clock.fixed(NOW, ZoneOffset.UTC));

		SipCredentials issued = service.issue("5001");

		assertThat(issued.realm()).isEqualTo("agents.example.com");
		assertThat(issued.expiresAt()).isEqualTo(NOW.getEpochSecond() + 300);
	}

	@Test
	void withoutASecretItIs503AfterTheRequestIsChecked() {
		SipCredentialService service = new SipCredentialService(
				new SipAuthProperties("", Duration.ofHours(12), null), ENDPOINT, DIRECTORY, key(),
				Clock.fixed(NOW, ZoneOffset.UTC));

		assertThatThrownBy(() -> service.issue("5001")).isInstanceOf(ErrorResponseException.class)
			.satisfies((ex) -> {
				assertThat(((ErrorResponseException) ex).getStatusCode().value()).isEqualTo(503);
				assertThat(((ErrorResponseException) ex).getBody().getDetail())
					.startsWith("SIP credentials are not configured: set SIP_AUTH_SECRET");
			});
		assertThatThrownBy(() -> service.issue(null)).satisfies(
				(ex) -> assertThat(((ErrorResponseException) ex).getStatusCode().value()).isEqualTo(400));
	}

	@Test
	void theirTextFormNeverShowsThePassword() {
		SipCredentials issued = service(agent("5001"), DIRECTORY).issue(null);

		assertThat(issued.toString()).doesNotContain(issued.password()).contains("password=******");
	}

	private static SipCredentialService service(CallerScope caller, DnDirectory directory) {
		return new SipCredentialService(new SipAuthProperties(SECRET, Duration.ofHours(12), null), ENDPOINT, directory,
				caller, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	/** An agent token bound to {@code dn}; its scopes do not matter here. */
	private static CallerScope agent(String dn) {
		return new Caller(dn);
	}

	/** An API key: bound to no DN. */
	private static CallerScope key() {
		return new Caller(null);
	}

	private record Caller(@Nullable String boundDn) implements CallerScope {

		@Override
		public @Nullable String confinedDn() {
			return boundDn;
		}

		@Override
		public String credentialId() {
			return (boundDn != null) ? "jwt:agent-" + boundDn : "key:test";
		}

	}

}
