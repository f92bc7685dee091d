package org.signaling.api.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One request of the hostile corpus: the bytes to send and what the contract says about its answer beyond the
 * rules every answer follows (no 5xx, a JSON {@code error} on every error, no AMI action from a rejected request).
 *
 * @param label what it tries, for the report
 * @param expectedStatus the statuses the contract allows for this very request; empty when any non-5xx will do
 * @param expectedError the exact {@code error} message the contract names; null when any will do
 * @param neverToAmi values that must not appear in anything the service writes to Asterisk, whatever the answer
 */
record HostileRequest(String label, Kind kind, Credential credential, RawHttps.Request request,
		Set<Integer> expectedStatus, String expectedError, List<String> neverToAmi) {

	/** Which guarantees apply beyond the common ones. */
	enum Kind {

		/** A GET of the read API. */
		READ,
		/** {@code GET /api/events}: a 200 is a stream, closed at once. */
		EVENTS,
		/** {@code POST /api/call/make}: a rejected one must not reach AMI. */
		MAKE,
		/** {@code POST /api/call/hangup}: a rejected one must not reach AMI. */
		HANGUP

	}

	/** Who sends it: one of the test keys, a key the runner rotates for event streams, or nobody. */
	enum Credential {

		ADMIN, CALLER, READER, STREAM, NONE

	}

	static Builder get(String label, String target) {
		return new Builder(label, "GET", target.getBytes(StandardCharsets.UTF_8), null);
	}

	static Builder get(String label, byte[] target) {
		return new Builder(label, "GET", target, null);
	}

	static Builder post(String label, String target, byte[] body) {
		return new Builder(label, "POST", target.getBytes(StandardCharsets.UTF_8), body)
			.header("Content-Type", "application/json");
	}

	static Builder request(String label, String method, String target) {
		return new Builder(label, method, target.getBytes(StandardCharsets.ISO_8859_1), null);
	}

	@Override
	public String toString() {
		return label;
	}

	static final class Builder {

		private final String label;

		private final String method;

		private final byte[] target;

		private final byte[] body;

		private final List<RawHttps.Header> headers = new ArrayList<>();

		private final Set<Integer> expected = new TreeSet<>();

		private final List<String> neverToAmi = new ArrayList<>();

		private Credential credential;

		private String expectedError;

		private boolean chunked;

		private Builder(String label, String method, byte[] target, byte[] body) {
			this.label = label;
			this.method = method;
			this.target = target;
			this.body = body;
			String path = new String(target, StandardCharsets.ISO_8859_1);
			this.credential = path.startsWith("/api/events") ? Credential.STREAM : Credential.ADMIN;
			headers.add(RawHttps.Header.of("Accept",
					path.startsWith("/api/events") ? "text/event-stream" : "application/json"));
		}

		/** Adds a header, its value as UTF-8. */
		Builder header(String name, String value) {
			headers.add(RawHttps.Header.of(name, value));
			return this;
		}

		/** Adds a header whose value is bytes 0-255 as they are (control characters, a lone 0xFF). */
		Builder latin1Header(String name, String value) {
			headers.add(RawHttps.Header.latin1(name, value));
			return this;
		}

		/** Replaces every header of this name (Accept, Content-Type) with this one, or drops it when null. */
		Builder replaceHeader(String name, String value) {
			headers.removeIf((header) -> new String(header.name(), StandardCharsets.ISO_8859_1).equalsIgnoreCase(name));
			return (value != null) ? header(name, value) : this;
		}

		Builder as(Credential who) {
			this.credential = who;
			return this;
		}

		Builder expect(int... statuses) {
			for (int status : statuses) {
				expected.add(status);
			}
			return this;
		}

		Builder expectError(String message) {
			this.expectedError = message;
			return this;
		}

		Builder neverToAmi(String value) {
			neverToAmi.add(value);
			return this;
		}

		Builder chunked() {
			this.chunked = true;
			return this;
		}

		HostileRequest build() {
			String path = new String(target, StandardCharsets.ISO_8859_1);
			Kind kind = path.startsWith("/api/call/make") ? Kind.MAKE
					: path.startsWith("/api/call/hangup") ? Kind.HANGUP
							: path.startsWith("/api/events") ? Kind.EVENTS : Kind.READ;
			return new HostileRequest(label, kind, credential,
					new RawHttps.Request(method, target, List.copyOf(headers), body, chunked), Set.copyOf(expected),
					expectedError, List.copyOf(neverToAmi));
		}

	}

}
