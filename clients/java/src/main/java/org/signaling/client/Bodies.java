package org.signaling.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The one home of the client's answer encodings: JSON requests ask for gzip ({@link #ACCEPT_ENCODING}), and an
 * answer is decoded here before it is parsed or made an error. The JDK's HttpClient neither asks nor decompresses,
 * and the service sends its big read answers (the DN list: 136 KB plain, 5.8 KB gzipped at 1,000 agents) gzipped
 * only when asked. A body that cannot be decoded is an {@link IllegalArgumentException}, as unparsable JSON is.
 */
final class Bodies {

	/** What JSON requests send as {@code Accept-Encoding}: exactly what {@link #text} can decode. */
	static final String ACCEPT_ENCODING = "gzip";

	/**
	 * The most a gzipped answer may inflate to. A few KB of gzip can inflate to gigabytes, so a broken or hostile
	 * server must not decide how much the client allocates; 64 MiB is hundreds of times the largest answer the
	 * service gives (the DN list at 1,000 agents is 136 KB).
	 */
	static final int MAX_DECODED_BYTES = 64 * 1024 * 1024;

	private Bodies() {
	}

	/** The answer's text (UTF-8), gunzipped when its {@code Content-Encoding} says gzip. */
	static String text(byte[] body, HttpHeaders headers) {
		return text(body, headers, MAX_DECODED_BYTES);
	}

	static String text(byte[] body, HttpHeaders headers, int maxDecodedBytes) {
		List<String> codings = headers.allValues("Content-Encoding")
			.stream()
			.map((coding) -> coding.trim().toLowerCase(Locale.ROOT))
			.filter((coding) -> !coding.isEmpty() && !coding.equals("identity"))
			.toList();
		// an empty body (a 204, or an error page a proxy left empty) has nothing to decode, whatever it is labelled
		if (codings.isEmpty() || body.length == 0) {
			return new String(body, StandardCharsets.UTF_8);
		}
		// x-gzip: the old name, the same coding (RFC 9110 8.4.1.3)
		if (codings.size() > 1 || !(codings.get(0).equals("gzip") || codings.get(0).equals("x-gzip"))) {
			throw new IllegalArgumentException("Undecodable answer: Content-Encoding " + String.join(", ", codings)
					+ " was not asked for (Accept-Encoding: " + ACCEPT_ENCODING + ")");
		}
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
			// one byte more than allowed tells an answer at the limit from one beyond it, without inflating the rest
			byte[] decoded = in.readNBytes(maxDecodedBytes + 1);
			if (decoded.length > maxDecodedBytes) {
				throw new IllegalArgumentException("Undecodable answer: its gzip body inflates to more than "
						+ maxDecodedBytes + " bytes");
			}
			return new String(decoded, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			// ZipException (not gzip, bad data, bad checksum) and EOFException (truncated) alike
			throw new IllegalArgumentException("Undecodable answer: corrupt gzip body ("
					+ ex.getClass().getSimpleName() + ": " + ex.getMessage() + ")", ex);
		}
	}

}
