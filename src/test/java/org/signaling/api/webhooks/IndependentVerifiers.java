package org.signaling.api.webhooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.json.JsonMapper;

/**
 * Signature checks that share no code with the service: the Python and Node verification snippets of
 * docs/webhooks.md, written from the Standard Webhooks specification and run as they are printed there, and
 * {@code openssl dgst -hmac} for the deprecated {@code X-Signaling-Signature}.
 */
public final class IndependentVerifiers {

	/** The Python snippet of docs/webhooks.md: Standard Webhooks verification as the specification describes it. */
	public static final String PYTHON_SNIPPET = """
			import base64, hashlib, hmac, time

			def verify(secret: str, body: bytes, msg_id: str, timestamp: str, signature: str,
			           tolerance: int = 300) -> bool:
			    \"""body: the raw request body; the rest: webhook-id, webhook-timestamp, webhook-signature.\"""
			    if abs(time.time() - int(timestamp)) > tolerance:
			        return False  # too old or from the future: a replay
			    key = base64.b64decode(secret.removeprefix("whsec_"))
			    signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
			    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
			    return any(hmac.compare_digest(expected, part[3:])
			               for part in signature.split(" ") if part.startswith("v1,"))
			""";

	/** The Node snippet of docs/webhooks.md. */
	public static final String NODE_SNIPPET = """
			const crypto = require("node:crypto");

			// body: the raw request body (a Buffer); the rest: webhook-id, webhook-timestamp, webhook-signature.
			function verify(secret, body, id, timestamp, signature, toleranceSeconds = 300) {
			  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) return false; // a replay
			  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
			  const expected = crypto.createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest();
			  return signature.split(" ").filter((part) => part.startsWith("v1,"))
			    .some((part) => {
			      const given = Buffer.from(part.slice(3), "base64");
			      return given.length === expected.length && crypto.timingSafeEqual(given, expected);
			    });
			}
			""";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private IndependentVerifiers() {
	}

	/** The hex HMAC-SHA256 of {@code timestamp.body} with the secret, computed by openssl (the deprecated form). */
	public static String openssl(String secret, String timestamp, String body) {
		String output = run(List.of("openssl", "dgst", "-sha256", "-hmac", secret), timestamp + "." + body);
		// "SHA2-256(stdin)= 9c19..." (OpenSSL 3) or "(stdin)= 9c19..." (1.1)
		return output.substring(output.lastIndexOf(' ') + 1).strip();
	}

	/** Whether the Python snippet of docs/webhooks.md accepts the request (the timestamp's age is not checked here). */
	public static boolean python(String secret, String body, String id, String timestamp, String signature) {
		Path program = write(".py", PYTHON_SNIPPET + """

				import json, sys
				a = json.load(sys.stdin)
				print(verify(a["secret"], a["body"].encode(), a["id"], a["timestamp"], a["signature"],
				             tolerance=10**12))
				""");
		return "True".equals(run(List.of("python3", program.toString()),
				arguments(secret, body, id, timestamp, signature)));
	}

	/** Whether the Node snippet of docs/webhooks.md accepts the request (the timestamp's age is not checked here). */
	public static boolean node(String secret, String body, String id, String timestamp, String signature) {
		Path program = write(".js", NODE_SNIPPET + """

				let input = "";
				process.stdin.on("data", (chunk) => (input += chunk)).on("end", () => {
				  const a = JSON.parse(input);
				  console.log(verify(a.secret, Buffer.from(a.body, "utf8"), a.id, a.timestamp, a.signature, 1e12) \
				? "True" : "False");
				});
				""");
		return "True".equals(run(List.of("node", program.toString()),
				arguments(secret, body, id, timestamp, signature)));
	}

	public static boolean isInstalled(String command) {
		try {
			Process process = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
			process.getInputStream().readAllBytes();
			return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static String arguments(String secret, String body, String id, String timestamp, String signature) {
		return JSON.writeValueAsString(
				Map.of("secret", secret, "body", body, "id", id, "timestamp", timestamp, "signature", signature));
	}

	private static Path write(String suffix, String program) {
		try {
			Path file = Files.createTempFile("webhook-verify", suffix);
			file.toFile().deleteOnExit();
			return Files.writeString(file, program);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Runs a command with this input; its standard output, stripped; fails on a non-zero exit. */
	private static String run(List<String> command, String stdin) {
		try {
			Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
			try (var input = process.getOutputStream()) {
				input.write(stdin.getBytes(StandardCharsets.UTF_8));
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("Timed out: " + command.get(0));
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException(command.get(0) + " failed with exit code " + process.exitValue());
			}
			return output.strip();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
