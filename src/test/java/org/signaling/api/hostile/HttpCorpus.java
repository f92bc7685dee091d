package org.signaling.api.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.signaling.api.hostile.HostileRequest.Credential;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hostile HTTP corpus: DNs in paths and queries, make and hang-up bodies, headers and methods, generated from a
 * fixed seed so every run sends the same bytes (a failure can be replayed). A registered agent {@link #AGENT} and a
 * second DN {@link #OTHER_AGENT} are assumed; no request names either as both ends of a call (that case has its
 * own test).
 */
final class HttpCorpus {

	static final long SEED = 0x5EED_0010L;

	static final String AGENT = "5001";

	static final String OTHER_AGENT = "5002";

	static final String MAKE = "/api/call/make";

	static final String HANGUP = "/api/call/hangup";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Every printable ASCII character that is neither a letter nor a digit. */
	static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

	private HttpCorpus() {
	}

	// --- DNs

	/** Hand-picked hostile DNs, then generated ones. */
	static List<String> hostileDns() {
		Set<String> dns = new LinkedHashSet<>(List.of("", AGENT, "a", "A".repeat(64), "b".repeat(65), "1".repeat(65),
				"9".repeat(300), "x".repeat(5000), ".", "..", "...", "../" + AGENT, AGENT + "/..", "./" + AGENT,
				AGENT + "/../" + OTHER_AGENT, ";", AGENT + ";", ";" + AGENT, AGENT + ";jsessionid=abc",
				AGENT + ";a=b", "\r", "\n", "\r\n", AGENT + "\r\nX-Injected: 1", "\0", AGENT + "\0", "\t",
				"\u007f", "\u0001", "\u001b[31m", "%", "%%", "%00", "%0d%0a", "%2e%2e", "%2F", "%252e", "%zz", "%c3",
				"%ff", "\u00e9", "\u65e5\u672c\u8a9e", "\ud83d\ude00", "\u202e" + AGENT, "\u200b",
				"\uff15\uff10\uff10\uff11", AGENT + "\u0301", "\ud800", "\ufeff" + AGENT, "\u0000" + AGENT,
				"+" + AGENT, "*", "#", AGENT + "#", "+", "-", "_", AGENT + "." + OTHER_AGENT, "+*#._-",
				AGENT + "," + OTHER_AGENT, " " + AGENT, AGENT + " ", "null", "undefined", "list", "LIST",
				"' OR '1'='1", "5001%' OR dn LIKE '%", "%_%", "_", "a_b", "\\", "\\\\server", "${jndi:ldap://x}",
				"<script>alert(1)</script>", "{{7*7}}", "../../../../etc/passwd"));
		for (char c : PUNCTUATION.toCharArray()) {
			dns.add(String.valueOf(c));
			dns.add("50" + c + "01");
		}
		Random random = new Random(SEED);
		for (int i = 0; i < 50; i++) {
			dns.add(randomText(random, randomLength(random)));
		}
		return List.copyOf(dns);
	}

	/** Every DN in a path of both DN endpoints and in the {@code dn} query of history and events. */
	static List<HostileRequest> dnRequests() {
		List<HostileRequest> requests = new ArrayList<>();
		for (String dn : hostileDns()) {
			String shown = Violations.shown(dn);
			requests.add(HostileRequest.get("GET /api/dn/{" + shown + "}", "/api/dn/" + percentEncoded(dn)).build());
			requests.add(HostileRequest.get("GET /api/calls/dn/{" + shown + "}", "/api/calls/dn/" + percentEncoded(dn))
				.build());
			requests.add(HostileRequest
				.get("GET /api/calls/history?dn=" + shown, "/api/calls/history?dn=" + percentEncoded(dn))
				.build());
			requests.add(HostileRequest.get("GET /api/events?dn=" + shown, "/api/events?dn=" + percentEncoded(dn))
				.build());
		}
		// Bytes a client should have encoded, sent as they are: the container and the firewall meet them first.
		for (String raw : List.of("50 01", "50\"01", "50<01>", "50{01}", "50|01", "50\\01", "50^01", "50`01",
				"5001%", "%zz", "%", "%c3", "%ff", "%00", "%0d%0a", "%2e%2e", "%2F5001", "%5C5001", "/5001", "5001/",
				"5001//", ".", "..", "..;/5001", "5001;x=y", "5001?x=%zz", "5001#frag", "5001\u00e9",
				"5001\u00ff", "\u00c3", "5001\t", "5001\u007f", "5001%u0041")) {
			byte[] tail = raw.getBytes(StandardCharsets.ISO_8859_1);
			requests.add(HostileRequest.get("GET /api/dn/ + raw " + Violations.shown(raw), concat("/api/dn/", tail))
				.build());
			requests.add(HostileRequest
				.get("GET /api/calls/dn/ + raw " + Violations.shown(raw), concat("/api/calls/dn/", tail))
				.build());
		}
		requests.add(HostileRequest.get("GET /api/calls/history?dn=&dn=", "/api/calls/history?dn=5001&dn=5002")
			.build());
		requests.add(HostileRequest.get("GET /api/calls/history?dn[]=", "/api/calls/history?dn%5B%5D=5001").build());
		requests.add(HostileRequest.get("400 dn parameters", "/api/calls/history?" + "dn=5001&".repeat(400)).build());
		return requests;
	}

	// --- POST /api/call/make

	/** Make bodies: destinations, sources, field types, JSON shapes, media types, Idempotency-Keys. */
	static List<HostileRequest> makeRequests() {
		Random random = new Random(SEED + 1);
		List<HostileRequest> requests = new ArrayList<>();
		// Numbers of every length: 1-32 is a destination, 33 or more is not, and never reaches Asterisk.
		for (int length = 1; length <= 40; length++) {
			for (int sample = 0; sample < 2; sample++) {
				String to = digits(random, length);
				HostileRequest.Builder make = make("to of " + length + " digits", Map.of("from", AGENT, "to", to));
				if (length <= 32) {
					make.expect(202);
				}
				else {
					make.expect(400).neverToAmi(to);
				}
				requests.add(make.build());
			}
		}
		for (String to : List.of("+", "++1003", "+1003", "1+003", "*", "#", "*67#1003", "**", "##",
				"+" + digits(random, 32), "+" + digits(random, 33), "*".repeat(33), "#".repeat(40), "abc", "ABC",
				"1003a", "sip:1003@evil.example", "1003@127.0.0.1", "PJSIP/1003", "Local/1003@default", "1003,1",
				"1003&1004", "1003|1004", " 1003", "1003 ", "10 03", "1003\t", "\t", " ", "",
				"1003\r\nAction: Originate",
				"1003\nChannel: Local/evil", "1003\u0000", "\u0000", "\uff11\uff10\uff10\uff13",
				"\u0661\u0660\u0660\u0663", "1003\u200b", "\u202e3001", "\ud83d\ude00", "a".repeat(64), "a".repeat(65),
				"1".repeat(1000), "x".repeat(15000), "${jndi:ldap://x}", "1003;", "1003)", "(1003")) {
			HostileRequest.Builder make = make("to " + Violations.shown(to), Map.of("from", AGENT, "to", to));
			for (String marker : List.of("Action:", "Channel:", "evil", "jndi", "\u0000")) {
				if (to.contains(marker)) {
					make.neverToAmi(marker);
				}
			}
			requests.add(make.build());
		}
		List<String> sources = new ArrayList<>(List.of("", " ", AGENT + " ", " " + AGENT, AGENT + "\n",
				AGENT + "\r\nAction: Hangup", "a".repeat(65), AGENT + ";", AGENT + "," + OTHER_AGENT,
				"sip:" + AGENT + "@127.0.0.1", "../" + AGENT, "\uff15\uff10\uff10\uff11", "PJSIP/" + AGENT,
				"Local/" + AGENT + "@ctx", "\u0000", AGENT + "\u0000"));
		List<String> dns = hostileDns();
		for (int i = 0; i < 12; i++) {
			sources.add(dns.get(random.nextInt(dns.size())));
		}
		for (String from : sources) {
			HostileRequest.Builder make = make("from " + Violations.shown(from), Map.of("from", from, "to", "1003"));
			if (from.contains("Action:")) {
				make.neverToAmi("Action: Hangup");
			}
			requests.add(make.build());
		}
		requests.add(make("from not registered", Map.of("from", "5999", "to", "1003")).expect(404).build());
		requests.add(make("to a registered DN", Map.of("from", AGENT, "to", OTHER_AGENT)).expect(202).build());
		requests.add(make("caller key", Map.of("from", AGENT, "to", "1004")).as(Credential.CALLER).build());
		requests.add(make("reader key", Map.of("from", AGENT, "to", "1005")).as(Credential.READER).expect(403).build());
		requests.add(make("no key", Map.of("from", AGENT, "to", "1006")).as(Credential.NONE).expect(401).build());
		// Every field with every wrong type, and missing.
		List<Object> wrongTypes = Arrays.asList(5001, 1.5, -1, 0, true, false, null, List.of(), List.of(AGENT),
				Map.of(), Map.of("a", "b"), "", Long.MAX_VALUE);
		for (String field : List.of("from", "to", "caller_id", "auto_answer", "timeout")) {
			for (Object value : wrongTypes) {
				Map<String, Object> body = new LinkedHashMap<>(Map.of("from", AGENT, "to", digits(random, 6)));
				body.put(field, value);
				requests.add(make(field + " = " + Violations.shown(String.valueOf(value)), body).build());
			}
			Map<String, Object> without = new LinkedHashMap<>(Map.of("from", AGENT, "to", digits(random, 6)));
			without.remove(field);
			requests.add(make("without " + field, without).build());
		}
		for (String callerId : List.of("", "+", "abc", "1".repeat(32), "1".repeat(33), "+1".repeat(20),
				"1003\r\nData: evil", "\"Evil\" <1003>", "\u0661\u0662\u0663", "1003 ", "Anonymous", "1003;x")) {
			HostileRequest.Builder make = make("caller_id " + Violations.shown(callerId),
					Map.of("from", AGENT, "to", digits(random, 7), "caller_id", callerId));
			if (callerId.contains("evil")) {
				make.neverToAmi("evil");
			}
			requests.add(make.build());
		}
		for (String timeout : List.of("-1", "0", "1", "5", "60", "120", "3600", "86400", "2147483647", "-2147483648",
				"2147483648", "99999999999999999999", "1e309", "1.5", "-0.0", "\"25\"", "\"abc\"", "true", "[]", "{}",
				"NaN", "Infinity", "0x10")) {
			requests.add(rawMake("timeout " + timeout,
					"{\"from\":\"" + AGENT + "\",\"to\":\"" + digits(random, 7) + "\",\"timeout\":" + timeout + "}")
				.build());
		}
		for (String autoAnswer : List.of("true", "false", "\"true\"", "\"yes\"", "1", "0", "null", "[]", "{}",
				"\"\"", "tru")) {
			requests.add(rawMake("auto_answer " + autoAnswer, "{\"from\":\"" + AGENT + "\",\"to\":\""
					+ digits(random, 7) + "\",\"auto_answer\":" + autoAnswer + "}")
				.build());
		}
		requests.addAll(jsonShapes(MAKE, "{\"from\":\"" + AGENT + "\",\"to\":\"1003\"}", "\"to\":",
				"{\"from\":\"" + AGENT + "\",\"to\":", "}"));
		// Duplicate keys: whichever one wins, a 40-digit number never reaches Asterisk.
		String forty = digits(random, 40);
		requests.add(rawMake("duplicate from", "{\"from\":\"" + AGENT + "\",\"from\":\"" + OTHER_AGENT
				+ "\",\"to\":\"1003\"}").build());
		requests.add(rawMake("duplicate to, 40 digits last", "{\"from\":\"" + AGENT + "\",\"to\":\"1003\",\"to\":\""
				+ forty + "\"}").neverToAmi(forty).build());
		requests.add(rawMake("duplicate to, 40 digits first", "{\"from\":\"" + AGENT + "\",\"to\":\"" + forty
				+ "\",\"to\":\"1003\"}").neverToAmi(forty).build());
		requests.add(rawMake("duplicate to, null last", "{\"from\":\"" + AGENT + "\",\"to\":\"1003\",\"to\":null}")
			.build());
		requests.add(rawMake("100 duplicate keys",
				"{" + ("\"from\":\"" + AGENT + "\",").repeat(100) + "\"to\":\"1003\"}").build());
		requests.addAll(mediaTypes(MAKE, () -> "{\"from\":\"" + AGENT + "\",\"to\":\"" + digits(random, 8) + "\"}"));
		for (String key : List.of("", " ", "a b", "\"quoted\"", "\u00e9t\u00e9", "\u65e5\u672c", "k".repeat(128),
				"k".repeat(129), "k".repeat(1000), "k".repeat(8000), "{}", "../../key", "key;x=y", "key,other")) {
			requests.add(make("Idempotency-Key " + Violations.shown(key),
					Map.of("from", AGENT, "to", digits(random, 9)))
				.header("Idempotency-Key", key)
				.build());
		}
		for (String key : List.of("\u0001", "\u007f", "a\tb", "a\u0000b", "a\rb", "\u00ff\u00c3", "\u001b[2J")) {
			requests.add(make("Idempotency-Key raw " + Violations.shown(key),
					Map.of("from", AGENT, "to", digits(random, 9)))
				.latin1Header("Idempotency-Key", key)
				.build());
		}
		return requests;
	}

	// --- POST /api/call/hangup

	static List<HostileRequest> hangupRequests() {
		Random random = new Random(SEED + 2);
		List<HostileRequest> requests = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			String unknown = "call-" + HexFormat.of().formatHex(bytes(random, 16));
			requests.add(hangup("unknown call id", Map.of("call_id", unknown)).expect(404).build());
		}
		for (String callId : List.of("", " ", "a".repeat(128), "a".repeat(129), "a".repeat(10000),
				"call-" + HexFormat.of().withUpperCase().formatHex(bytes(random, 16)),
				"call-" + HexFormat.of().formatHex(bytes(random, 16)).substring(1), "call-", "/.*/", "*", "%", "%00",
				"'", "' OR '1'='1", "\"", "\\", "..", "../../etc/passwd", "a b", "a\r\nAction: Hangup", "\u0000",
				"\u00e9", "\ud83d\ude00", "\uff11", "Local/" + AGENT + "@ctx-00000001;1",
				"PJSIP/" + AGENT + "-00000001",
				"1;2", "a,b", "<a>", "{}", "[]", "${jndi:ldap://x}", "\u001b[31m", "call-%s%s%s%n")) {
			HostileRequest.Builder hangup = hangup("call_id " + Violations.shown(callId), Map.of("call_id", callId));
			if (callId.contains("Action:")) {
				hangup.neverToAmi("Action: Hangup");
			}
			requests.add(hangup.build());
		}
		for (Object value : Arrays.asList(5001, 1.5, true, null, List.of(), List.of("call-1"), Map.of(),
				Map.of("call_id", "x"))) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("call_id", value);
			requests.add(hangup("call_id = " + Violations.shown(String.valueOf(value)), body).build());
		}
		requests.add(hangup("without call_id", Map.of("id", "call-1")).build());
		requests.add(rawHangup("duplicate call_id", "{\"call_id\":\"a\",\"call_id\":\"b\"}").build());
		requests.add(hangup("reader key", Map.of("call_id", "call-" + "0".repeat(32))).as(Credential.READER)
			.expect(403)
			.build());
		requests.add(hangup("no key", Map.of("call_id", "call-" + "0".repeat(32))).as(Credential.NONE)
			.expect(401)
			.build());
		requests.addAll(jsonShapes(HANGUP, "{\"call_id\":\"call-" + "0".repeat(32) + "\"}", "\"call_id\":",
				"{\"call_id\":", "}"));
		requests.addAll(mediaTypes(HANGUP, () -> "{\"call_id\":\"call-" + "0".repeat(32) + "\"}"));
		return requests;
	}

	// --- headers, methods, request targets

	static List<HostileRequest> headerRequests() {
		List<HostileRequest> requests = new ArrayList<>();
		String active = "/api/calls/active";
		for (int size : List.of(17 * 1024, 64 * 1024, 200 * 1024)) {
			requests.add(HostileRequest.get("header of " + size + " bytes", active).header("X-Big", "z".repeat(size))
				.build());
		}
		HostileRequest.Builder many = HostileRequest.get("300 headers", active);
		for (int i = 0; i < 300; i++) {
			many.header("X-Many-" + i, "v".repeat(100));
		}
		requests.add(many.build());
		requests.add(HostileRequest.get("header name of 10 KB", active).header("X-" + "n".repeat(10240), "v").build());
		requests.add(HostileRequest.get("cookie of 20 KB", active).header("Cookie", "a=" + "c".repeat(20480)).build());
		requests.add(HostileRequest.get("bearer of 20 KB", active).as(Credential.NONE)
			.header("Authorization", "Bearer " + "t".repeat(20480))
			.build());
		for (String key : List.of("", "x", "k".repeat(20000), "sk_\u00e9", "sk_' OR '1'='1", "sk_%00")) {
			requests.add(HostileRequest.get("X-API-Key " + Violations.shown(key), active).as(Credential.NONE)
				.header("X-API-Key", key)
				.expect(400, 401, 431)
				.build());
		}
		for (String key : List.of("\u0001", "sk_\u007f", "sk_\u00ff\u00c3", "a\tb")) {
			requests.add(HostileRequest.get("X-API-Key raw " + Violations.shown(key), active).as(Credential.NONE)
				.latin1Header("X-API-Key", key)
				.build());
		}
		for (String authorization : List.of("Bearer", "Bearer ", "Bearer a.b.c", "Bearer ...", "Basic xxx",
				"Basic " + "=".repeat(100), "Bearer \u00e9", "Negotiate abc", "bearer  x",
				"Bearer " + "a.".repeat(500))) {
			requests.add(HostileRequest.get("Authorization " + Violations.shown(authorization), active)
				.as(Credential.NONE)
				.header("Authorization", authorization)
				.build());
		}
		requests.add(HostileRequest.get("key and bearer", active).header("Authorization", "Bearer a.b.c").build());
		for (String id : List.of("", " ", "a".repeat(65), "a".repeat(10000), "\u00e9", "<script>", "../../", "%0d%0a",
				"id;DROP TABLE event_log", "${jndi:ldap://x}", "\u65e5\u672c")) {
			requests.add(HostileRequest.get("X-Request-Id " + Violations.shown(id), active).header("X-Request-Id", id)
				.build());
		}
		for (String id : List.of("\u0001", "abc\u007f", "a\tb", "\u00ff")) {
			requests.add(HostileRequest.get("X-Request-Id raw " + Violations.shown(id), active)
				.latin1Header("X-Request-Id", id)
				.build());
		}
		for (String accept : List.of("text/html", "image/png", "application/xml", "*/*;q=0", "application/json;q=abc",
				"", "a/b/c", ";;;", "application/json;" + "p=1;".repeat(500), "text/event-stream")) {
			requests.add(HostileRequest.get("Accept " + Violations.shown(accept), active)
				.replaceHeader("Accept", accept)
				.build());
		}
		for (String[] header : List.of(new String[] { "Accept-Language", ";;;;q=x" },
				new String[] { "Accept-Language", "x".repeat(9000) }, new String[] { "Accept-Language", "*-*-*" },
				new String[] { "Accept-Charset", "utf-9" }, new String[] { "Accept-Encoding", "gzip;q=banana" },
				new String[] { "Range", "bytes=garbage" }, new String[] { "If-None-Match", "\"" },
				new String[] { "If-Modified-Since", "yesterday" },
				new String[] { "X-Forwarded-For", ";;;, , unknown, 999.999.999.999, ::::, a" },
				new String[] { "X-Forwarded-For", "1.1.1.1, ".repeat(1000) },
				new String[] { "X-Real-IP", "not-an-ip" }, new String[] { "Forwarded", "for=\"[::1" },
				new String[] { "Origin", "null" }, new String[] { "Origin", "https://evil.example" },
				new String[] { "Content-Type", "application/json; charset=utf-99" },
				new String[] { "Transfer-Encoding", "gzip" },
				new String[] { "Expect", "100-continue-please" }, new String[] { "Content-Length", "abc" },
				new String[] { "Content-Length", "-1" }, new String[] { "Host", "evil.example" },
				new String[] { "Connection", "Upgrade, HTTP2-Settings" }, new String[] { "Upgrade", "h2c" },
				new String[] { "Upgrade", "websocket" }, new String[] { "Max-Forwards", "-1" })) {
			requests.add(HostileRequest.get(header[0] + ": " + Violations.shown(header[1]), active)
				.header(header[0], header[1])
				.build());
		}
		for (String lastEventId : List.of("", " ", "evt-", "evt-" + "0".repeat(32), "evt-" + "g".repeat(32),
				"evt-" + "f".repeat(33), "-1", "0", "9".repeat(30), "a".repeat(10000), "a".repeat(20000), "\u00e9",
				"null", "[]", "{}", "' OR 1=1", "%00", "evt-123 x")) {
			requests.add(HostileRequest.get("Last-Event-ID " + Violations.shown(lastEventId), "/api/events")
				.header("Last-Event-ID", lastEventId)
				.build());
		}
		for (String lastEventId : List.of("\u0001", "evt-\u007f", "evt-123\tx", "\u00ff\u00c3")) {
			requests.add(HostileRequest.get("Last-Event-ID raw " + Violations.shown(lastEventId), "/api/events")
				.latin1Header("Last-Event-ID", lastEventId)
				.build());
		}
		for (String query : List.of("last_event_id=", "last_event_id=evt-zz", "last_event_id=" + "9".repeat(100),
				"last_event_id=%00", "type=", "type=call.*,dn.*", "type=*", "type=..",
				"type=" + "call.ended,".repeat(200),
				"call_id=", "call_id=%0d%0a", "call_id=" + "c".repeat(129), "dn=5001&dn=5002", "x=%zz",
				"dn=%ff")) {
			requests.add(HostileRequest.get("GET /api/events?" + query, "/api/events?" + query).build());
		}
		for (String query : List.of("limit=0", "limit=-1", "limit=501", "limit=abc", "limit=99999999999999999999",
				"cursor=-1", "cursor=abc", "cursor=9999999999999999999", "since=yesterday",
				"until=2026-13-45T99:99:99Z",
				"since=+1000000000-12-31T23:59:59.999999999Z", "end_cause=DROP", "end_cause=" + "a".repeat(33),
				"end_cause=%0d%0a", "dn=%zz", "dn=%ff", "dn=%", "dn=%c3", "x=%zz", "%zz=1", "dn=5001&&&&", "==")) {
			requests.add(HostileRequest.get("GET /api/calls/history?" + query, "/api/calls/history?" + query).build());
		}
		for (String[] methodAndTarget : List.of(new String[] { "PUT", MAKE }, new String[] { "DELETE", MAKE },
				new String[] { "PATCH", HANGUP }, new String[] { "OPTIONS", MAKE }, new String[] { "TRACE", active },
				new String[] { "GET", MAKE }, new String[] { "POST", active },
				new String[] { "DELETE", "/api/dn/5001" },
				new String[] { "get", active }, new String[] { "FOO", active }, new String[] { "HEAD", active },
				new String[] { "OPTIONS", "*" }, new String[] { "GET", "https://localhost/api/calls/active" },
				new String[] { "GET", "/api/calls/active?" + "q".repeat(20000) },
				new String[] { "GET", "/" + "p/".repeat(3000) }, new String[] { "GET", "/api/calls/active;x=1" },
				new String[] { "GET", "/api/calls//active" }, new String[] { "GET", "/api/calls/./active" },
				new String[] { "GET", "/api/calls/%2e/active" }, new String[] { "GET", "/API/CALLS/ACTIVE" },
				new String[] { "GET", "/api/calls/active/" }, new String[] { "GET", "/api/calls/" + "c".repeat(129) },
				new String[] { "GET", "/api/calls/%0d%0a" }, new String[] { "GET", "/api/calls/call-%ff" },
				new String[] { "GET", "/api/calls/%00" }, new String[] { "GET", "/api/calls/.." },
				new String[] { "GET", "/api/calls/'" }, new String[] { "GET", "/actuator/../api/calls/active" },
				new String[] { "GET", "/error" }, new String[] { "GET", "/api/does-not-exist" })) {
			requests.add(HostileRequest
				.request(methodAndTarget[0] + " " + Violations.shown(methodAndTarget[1]), methodAndTarget[0],
						methodAndTarget[1])
				.build());
		}
		for (String query : List.of("x=%zz", "%ff", "x=%", "a=%c3%28")) {
			requests.add(HostileRequest.get("GET /api/calls/active?" + query, active + "?" + query).build());
			requests.add(HostileRequest.get("GET /api/dn/5001?" + query, "/api/dn/5001?" + query).build());
		}
		requests.add(HostileRequest.request("control character in the method", "G\u0001ET", active).build());
		return requests;
	}

	// --- shared shapes

	/**
	 * JSON bodies that are deep, huge, truncated, not UTF-8, not JSON, empty, an array. {@code valid} is a body
	 * the endpoint takes; {@code prefix}...{@code suffix} wrap a value in the first string field.
	 */
	private static List<HostileRequest> jsonShapes(String target, String valid, String field, String prefix,
			String suffix) {
		List<HostileRequest> requests = new ArrayList<>();
		String name = target.substring(target.lastIndexOf('/') + 1) + ": ";
		BiFunction<String, String, HostileRequest.Builder> raw = (label,
				body) -> HostileRequest.post(name + label, target, body.getBytes(StandardCharsets.UTF_8));
		requests.add(raw.apply("array 1000 deep in a field", prefix + "[".repeat(1000) + "]".repeat(1000) + suffix)
			.build());
		requests.add(raw.apply("object 1500 deep in a field",
				prefix + "{\"a\":".repeat(1500) + "1" + "}".repeat(1500) + suffix).build());
		requests.add(raw.apply("array 3000 deep", "[".repeat(3000) + "]".repeat(3000)).build());
		requests.add(raw.apply("15000 [ never closed", "[".repeat(15000)).build());
		requests.add(raw.apply("100000 [ never closed", "[".repeat(100_000)).build());
		String valueless = valid.substring(0, valid.length() - 1);
		requests.add(raw.apply("20 KB padding", valueless + ",\"padding\":\"" + "x".repeat(20 * 1024) + "\"}").build());
		String megabyte = ",\"padding\":\"" + "x".repeat(1024 * 1024) + "\"}";
		requests.add(raw.apply("1 MB padding", valueless + megabyte).build());
		requests.add(raw.apply("1 MB padding, chunked", valueless + megabyte).chunked().build());
		requests.add(raw.apply("15 KB of trailing spaces", valid + " ".repeat(15 * 1024)).build());
		requests.add(raw.apply("15 KB string", prefix + "\"" + "9".repeat(15 * 1024) + "\"" + suffix).build());
		requests.add(raw.apply("5000-digit number", prefix + "9".repeat(5000) + suffix).build());
		requests.add(raw.apply("number 1e999999999", prefix + "1e999999999" + suffix).build());
		requests.add(raw.apply("2000 duplicate keys", "{" + "\"k\":1,".repeat(2000) + field + "\"1003\"}").build());
		for (int cut : List.of(1, 2, valid.length() / 2, valid.length() - 2, valid.length() - 1)) {
			requests.add(raw.apply("truncated to " + cut + " characters", valid.substring(0, cut)).build());
		}
		for (String body : List.of(valid + "}", valid + ",{", valid + valid, valid + "garbage", "\ufeff" + valid,
				"/*c*/" + valid, valid.replace('"', '\''), valid.replace("\"", ""), valueless + ",}",
				"from=5001&to=1003", "<make from=\"5001\"/>", "null", "true", "42", "\"5001\"", "[]",
				"[" + valid + "]", "{}", " ", "\u0000", "NaN", "\"\\ud800\"", prefix + "\"\\u0000\"" + suffix,
				prefix + "\"\\ud800\"" + suffix, prefix + "\"\\x41\"" + suffix, prefix + "\"a\nb\"" + suffix,
				prefix + "\"\\/\\b\\f\"" + suffix)) {
			requests.add(raw.apply("body " + Violations.shown(body), body).build());
		}
		for (byte[] bad : List.of(new byte[] { (byte) 0xFF }, new byte[] { (byte) 0xC3 },
				new byte[] { (byte) 0xC0, (byte) 0xAF }, new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
				new byte[] { (byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80 })) {
			byte[] inString = concat(prefix + "\"1003", bad, "\"" + suffix);
			requests.add(HostileRequest.post(name + "invalid UTF-8 " + HexFormat.of().formatHex(bad) + " in a string",
					target, inString).build());
			byte[] outside = concat(prefix, bad, suffix);
			requests.add(HostileRequest.post(name + "invalid UTF-8 " + HexFormat.of().formatHex(bad) + " as a value",
					target, outside).build());
		}
		requests.add(HostileRequest.post(name + "UTF-16", target, valid.getBytes(StandardCharsets.UTF_16))
			.replaceHeader("Content-Type", "application/json; charset=utf-16")
			.build());
		requests.add(HostileRequest.post(name + "UTF-16 labelled UTF-8", target,
				valid.getBytes(StandardCharsets.UTF_16)).build());
		requests.add(HostileRequest.post(name + "empty body", target, new byte[0]).build());
		requests.add(HostileRequest.request(name + "no body", "POST", target)
			.header("Content-Type", "application/json")
			.build());
		return requests;
	}

	/** The same valid body under odd media types. */
	private static List<HostileRequest> mediaTypes(String target, Supplier<String> body) {
		List<HostileRequest> requests = new ArrayList<>();
		for (String type : Arrays.asList(null, "", "text/plain", "application/x-www-form-urlencoded",
				"application/json; charset=latin1", "application/json; charset=utf-16",
				"application/json;charset=bogus",
				"application/json, text/html", "application/*", "*/*", "application/json\u0000",
				"application/" + "j".repeat(1000), "multipart/form-data; boundary=x", "application/problem+json",
				"application/vnd.api+json", ";", "application/json;;;", "APPLICATION/JSON")) {
			requests.add(HostileRequest
				.post(target + " Content-Type " + Violations.shown(String.valueOf(type)), target,
						body.get().getBytes(StandardCharsets.UTF_8))
				.replaceHeader("Content-Type", type)
				.build());
		}
		for (String accept : List.of("text/html", "image/png", "application/xml", "*/*;q=0", "", "a/b/c")) {
			requests.add(HostileRequest
				.post(target + " Accept " + Violations.shown(accept), target,
						body.get().getBytes(StandardCharsets.UTF_8))
				.replaceHeader("Accept", accept)
				.build());
		}
		return requests;
	}

	private static HostileRequest.Builder make(String label, Map<String, ?> body) {
		return HostileRequest.post("make: " + label, MAKE, JSON.writeValueAsBytes(body));
	}

	private static HostileRequest.Builder rawMake(String label, String body) {
		return HostileRequest.post("make: " + label, MAKE, body.getBytes(StandardCharsets.UTF_8));
	}

	private static HostileRequest.Builder hangup(String label, Map<String, ?> body) {
		return HostileRequest.post("hangup: " + label, HANGUP, JSON.writeValueAsBytes(body));
	}

	private static HostileRequest.Builder rawHangup(String label, String body) {
		return HostileRequest.post("hangup: " + label, HANGUP, body.getBytes(StandardCharsets.UTF_8));
	}

	// --- generation

	/** A number of {@code length} digits that names neither test agent. */
	static String digits(Random random, int length) {
		StringBuilder digits = new StringBuilder();
		do {
			digits.setLength(0);
			for (int i = 0; i < length; i++) {
				digits.append((char) ('0' + random.nextInt(10)));
			}
		}
		while (digits.toString().equals(AGENT) || digits.toString().equals(OTHER_AGENT));
		return digits.toString();
	}

	private static int randomLength(Random random) {
		return switch (random.nextInt(3)) {
			case 0 -> random.nextInt(11);
			case 1 -> 60 + random.nextInt(11);
			default -> 100 + random.nextInt(201);
		};
	}

	/**
	 * Text from every class a DN must refuse: punctuation, controls, Latin-1, other scripts, emoji, combining marks.
	 */
	private static String randomText(Random random, int length) {
		String pool = "0123456789abcXYZ" + PUNCTUATION + "\u0000\u0001\t\n\r\u001b\u007f\u00a0\u00e9\u00ff\u00df"
				+ "\u03a9\u4e2d\u0661\u202e\u200b\u0301\ufeff";
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			if (random.nextInt(20) == 0) {
				text.append("\ud83d\ude00");
			}
			else {
				text.append(pool.charAt(random.nextInt(pool.length())));
			}
		}
		return text.toString();
	}

	private static byte[] bytes(Random random, int count) {
		byte[] bytes = new byte[count];
		random.nextBytes(bytes);
		return bytes;
	}

	/** Every UTF-8 byte outside the unreserved set as %XX: what a careful client sends. */
	static String percentEncoded(String value) {
		StringBuilder out = new StringBuilder();
		for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xFF;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
					|| c == '_' || c == '~') {
				out.append((char) c);
			}
			else {
				out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
			}
		}
		return out.toString();
	}

	private static byte[] concat(String head, byte[] tail) {
		return concat(head, tail, "");
	}

	private static byte[] concat(String head, byte[] middle, String tail) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
		out.writeBytes(middle);
		out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
		return out.toByteArray();
	}

}
