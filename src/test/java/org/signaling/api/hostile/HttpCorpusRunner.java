package org.signaling.api.hostile;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;

import org.signaling.api.hostile.HostileRequest.Kind;
import org.signaling.api.testsupport.TestCredentials;
import org.signaling.api.testsupport.ami.AmiMessage;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends a corpus to the service one request at a time and checks what every answer owes a client: never a 5xx
 * (every backend is up), a JSON body with a string {@code error} on every error, the status and message the
 * contract names where it names one, and, for a make or hang-up it rejected, not one action written to Asterisk.
 */
final class HttpCorpusRunner implements AutoCloseable {

	/** How long one corpus may take; a corpus that runs longer is cut and reported. */
	static final Duration CORPUS_BOUND = Duration.ofMinutes(3);

	/**
	 * Event streams opened with one credential before the next one is used: the corpus closes each at once, but
	 * the service may notice only at its next heartbeat, and a per-credential stream limit must not turn the rest
	 * of the corpus into 429s.
	 */
	private static final int STREAMS_PER_CREDENTIAL = 10;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final RawHttps http;

	private final AmiServerDouble asterisk;

	private final Map<Integer, Integer> statuses = new TreeMap<>();

	private final List<String> acceptedCallIds = new ArrayList<>();

	private int sent;

	private int serverErrors;

	private int unanswered;

	private int streamsOpened;

	private int replayed;

	HttpCorpusRunner(SSLContext tls, int port, AmiServerDouble asterisk) {
		this.http = new RawHttps(tls, port);
		this.asterisk = asterisk;
	}

	/** Sends every request (within {@link #CORPUS_BOUND}) and adds what broke a guarantee to {@code violations}. */
	void run(List<HostileRequest> corpus, Violations violations) {
		Instant deadline = Instant.now().plus(CORPUS_BOUND);
		for (HostileRequest request : corpus) {
			if (Instant.now().isAfter(deadline)) {
				violations.add("corpus cut after %d of %d requests: it took longer than %s", sent, corpus.size(),
						CORPUS_BOUND);
				return;
			}
			send(request, violations);
		}
	}

	RawHttps.Answer send(HostileRequest request, Violations violations) {
		AmiMessage before = lastAmiMessage();
		RawHttps.Answer answer = http.send(withCredential(request));
		sent++;
		String label = request.label();
		statuses.merge(answer.status(), 1, Integer::sum);
		if (answer.status() < 0) {
			unanswered++;
			violations.add("%s: no answer (%s)", label, answer.failure());
		}
		else if (answer.status() >= 500) {
			serverErrors++;
			violations.add("%s: %s", label, answer);
		}
		if (answer.status() >= 400 && !"HEAD".equals(request.request().method())) {
			String error = errorMember(answer);
			violations.check(error != null, "%s: %d without a JSON body holding a string \"error\": %s", label,
					answer.status(), answer);
			if (request.expectedError() != null) {
				violations.check(request.expectedError().equals(error), "%s: error %s, expected \"%s\"", label,
						(error != null) ? "\"" + error + "\"" : "missing", request.expectedError());
			}
		}
		if (!request.expectedStatus().isEmpty()) {
			violations.check(request.expectedStatus().contains(answer.status()), "%s: %s, expected %s", label, answer,
					request.expectedStatus());
		}
		if (request.kind() == Kind.EVENTS && answer.status() == 200 && answer.isEventStream()) {
			streamsOpened++;
		}
		if (request.kind() == Kind.MAKE || request.kind() == Kind.HANGUP) {
			checkAsterisk(request, answer, before, violations);
		}
		return answer;
	}

	private void checkAsterisk(HostileRequest request, RawHttps.Answer answer, AmiMessage before,
			Violations violations) {
		List<AmiMessage> written = asteriskMessagesAfter(before);
		boolean rejected = answer.status() < 200 || answer.status() >= 300;
		if (rejected) {
			for (AmiMessage message : written) {
				if (message.isAction("Originate") || message.isAction("Hangup")) {
					violations.add("%s: rejected (%s) but wrote %s to Asterisk: %s", request.label(), answer,
							message.action(), message);
				}
			}
		}
		for (String value : request.neverToAmi()) {
			for (AmiMessage message : written) {
				if (message.raw().contains(value)) {
					violations.add("%s: \"%s\" reached Asterisk (%s): %s", request.label(), Violations.shown(value),
							answer.status(), message);
				}
			}
		}
		if (request.kind() == Kind.MAKE && answer.status() == 202) {
			if ("true".equals(answer.header("Idempotent-Replayed"))) {
				replayed++;
			}
			else {
				JsonNode body = json(answer);
				if (body != null && body.path("call_id").isString()) {
					acceptedCallIds.add(body.path("call_id").asString());
				}
			}
		}
	}

	/** The Originate actions written to Asterisk after {@code before}, by the ChannelId the service gave them. */
	List<String> originatedSince(AmiMessage before) {
		return asteriskMessagesAfter(before).stream()
			.filter((message) -> message.isAction("Originate"))
			.map((message) -> String.valueOf(message.get("ChannelId")))
			.toList();
	}

	/** The newest message Asterisk received so far, to tell later ones from it; null when none. */
	AmiMessage lastAmiMessage() {
		List<AmiMessage> received = asterisk.receivedMessages();
		return received.isEmpty() ? null : received.get(received.size() - 1);
	}

	/** Messages received after {@code before} (by identity: the double keeps a bounded window of them). */
	private List<AmiMessage> asteriskMessagesAfter(AmiMessage before) {
		List<AmiMessage> received = asterisk.receivedMessages();
		if (before == null) {
			return received;
		}
		for (int i = received.size() - 1; i >= 0; i--) {
			if (received.get(i) == before) {
				return received.subList(i + 1, received.size());
			}
		}
		return received;
	}

	@Override
	public void close() {
		http.close();
	}

	/** The call ids of the makes answered 202 (not replays), in order. */
	List<String> acceptedCallIds() {
		return List.copyOf(acceptedCallIds);
	}

	int sent() {
		return sent;
	}

	int serverErrors() {
		return serverErrors;
	}

	/** e.g. {@code 812 requests, 0 5xx, 0 unanswered (200 x 41, 400 x 700, ...), 12 event streams opened}. */
	String summary() {
		StringBuilder byStatus = new StringBuilder();
		statuses.forEach((status, count) -> byStatus.append(byStatus.isEmpty() ? "" : ", ")
			.append((status < 0) ? "none" : status)
			.append(" x ")
			.append(count));
		return sent + " requests, " + serverErrors + " 5xx, " + unanswered + " unanswered (" + byStatus + "), "
				+ acceptedCallIds.size() + " calls placed, " + replayed + " replays, " + streamsOpened
				+ " event streams opened";
	}

	private RawHttps.Request withCredential(HostileRequest request) {
		List<RawHttps.Header> headers = new ArrayList<>(request.request().headers());
		switch (request.credential()) {
			case ADMIN -> headers.add(RawHttps.Header.of("X-API-Key", TestCredentials.ADMIN_KEY));
			case CALLER -> headers.add(RawHttps.Header.of("X-API-Key", TestCredentials.CALLER_KEY));
			case READER -> headers.add(RawHttps.Header.of("X-API-Key", TestCredentials.READER_KEY));
			case STREAM -> headers.add(streamCredential());
			case NONE -> {
			}
		}
		RawHttps.Request raw = request.request();
		return new RawHttps.Request(raw.method(), raw.target(), headers, raw.body(), raw.chunked());
	}

	/** The admin key, then the reader key, then read-scope tokens of their own subjects, ten streams each. */
	private RawHttps.Header streamCredential() {
		int slot = streamsOpened / STREAMS_PER_CREDENTIAL;
		return switch (slot) {
			case 0 -> RawHttps.Header.of("X-API-Key", TestCredentials.ADMIN_KEY);
			case 1 -> RawHttps.Header.of("X-API-Key", TestCredentials.READER_KEY);
			default -> RawHttps.Header.of("Authorization",
					"Bearer " + TestCredentials.jwt("hostile-corpus-" + slot, Map.of("scope", "read")));
		};
	}

	/** The string {@code error} member of a JSON object body; null when there is none. */
	static String errorMember(RawHttps.Answer answer) {
		JsonNode body = json(answer);
		return (body != null && body.isObject() && body.path("error").isString()) ? body.path("error").asString()
				: null;
	}

	static JsonNode json(RawHttps.Answer answer) {
		try {
			return JSON.readTree(new String(answer.body(), StandardCharsets.UTF_8));
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** Whether the body is JSON (of any shape). */
	static boolean isJson(RawHttps.Answer answer) {
		JsonNode body = json(answer);
		return body != null && !body.isMissingNode();
	}

}
