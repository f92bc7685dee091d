package org.signaling.api.security.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.signaling.api.security.ApiPrincipal;
import org.signaling.api.security.ApiSecurityProperties;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code scripts/new-agent-token} (bash and openssl) makes tokens the service takes for agent tokens: checked by the
 * service's own decoder configuration and read by its own converter, with a secret file of the test's.
 */
class AgentTokenScriptTests {

	static final String SECRET = "lab-jwt-secret-of-the-test-0123456789-abcdefghij";

	@TempDir
	Path dir;

	@Test
	void theTokenIsAnAgentTokenForTheDnSignedWithTheLabSecret() throws Exception {
		Path secretFile = secretFile(SECRET);

		Run run = newAgentToken(secretFile, "5001");

		assertThat(run.exitCode()).isZero();
		Jwt jwt = decoder(SECRET).decode(run.out().strip());
		assertThat(jwt.getHeaders()).containsEntry("alg", "HS256");
		assertThat(Duration.between(jwt.getIssuedAt(), jwt.getExpiresAt())).isEqualTo(Duration.ofHours(12));
		ApiPrincipal principal = (ApiPrincipal) new JwtPrincipalConverter("dn").convert(jwt).getPrincipal();
		assertThat(principal.dn()).isEqualTo("5001");
		assertThat(principal.id()).isEqualTo("jwt:agent-5001");
		assertThat(principal.scopes()).containsExactlyInAnyOrder("read", "calls");
	}

	@Test
	void theLifetimeIsTheOneAskedForAndTheDnMayUseTheWholeGrammar() throws Exception {
		Run run = newAgentToken(secretFile(SECRET), "A.b_c-9+*#", "600");

		Jwt jwt = decoder(SECRET).decode(run.out().strip());
		assertThat(jwt.getClaimAsString("dn")).isEqualTo("A.b_c-9+*#");
		assertThat(Duration.between(jwt.getIssuedAt(), jwt.getExpiresAt())).isEqualTo(Duration.ofMinutes(10));
	}

	@Test
	void aTokenSignedWithAnotherSecretIsRefused() throws Exception {
		Run run = newAgentToken(secretFile(SECRET), "5001");

		assertThatThrownBy(() -> decoder("another-secret-of-at-least-thirty-two-bytes").decode(run.out().strip()))
			.isInstanceOf(JwtException.class);
	}

	@Test
	void aMalformedDnOrLifetimeIsRefusedWithoutAToken() throws Exception {
		Path secretFile = secretFile(SECRET);
		List<List<String>> refused = List.of(List.of(), List.of("50 01"), List.of("5001\"}"), List.of("x".repeat(65)),
				List.of("5001@evil"), List.of("5001", "59"), List.of("5001", "0100"), List.of("5001", "604801"));
		for (List<String> arguments : refused) {
			Run run = newAgentToken(secretFile, arguments.toArray(String[]::new));

			assertThat(run.exitCode()).as("%s", arguments).isEqualTo(2);
			assertThat(run.out()).as("%s", arguments).isEmpty();
		}
	}

	@Test
	void aMissingSecretFileIsCreatedOnceReadableByItsOwnerOnly() throws Exception {
		Path secretFile = dir.resolve("run/lab-jwt.secret");

		Run first = newAgentToken(secretFile, "5001");
		String secret = Files.readString(secretFile);

		assertThat(secret).matches("[A-Za-z0-9_-]{48}");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile))).isEqualTo("rw-------");
		assertThat(decoder(secret).decode(first.out().strip()).getClaimAsString("dn")).isEqualTo("5001");
		newAgentToken(secretFile, "5002");
		assertThat(Files.readString(secretFile)).as("made once").isEqualTo(secret);
	}

	private static NimbusJwtDecoder decoder(String secret) {
		return SecurityConfiguration.jwtDecoder(new ApiSecurityProperties.Jwt(null, secret, null, null, "dn"));
	}

	private Path secretFile(String secret) throws IOException {
		Path file = dir.resolve("lab-jwt.secret");
		Files.writeString(file, secret);
		return file;
	}

	private static Run newAgentToken(Path secretFile, String... arguments) throws Exception {
		Path script = Path.of(System.getProperty("project.basedir", ".")).resolve("scripts/new-agent-token");
		List<String> command = new ArrayList<>(List.of("bash", script.toString()));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
		builder.environment().put("LAB_JWT_SECRET_FILE", secretFile.toString());
		Process process = builder.start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("scripts/new-agent-token ends").isTrue();
		return new Run(process.exitValue(), out);
	}

	private record Run(int exitCode, String out) {
	}

}
